/** What a request's signing string is made of: its method, URL and the value of each header it signs. */
export interface SignedParts {
  method: string;
  url: URL;
  header: (name: string) => string | undefined;
}

/**
 * The text an OCI request signature covers (draft-cavage): one `name: value` line per listed header, joined
 * with `\n`. `(request-target)` is the lower-case method and the path and query exactly as sent, so a path
 * prefix in the client's endpoint (`/us-phoenix-1/20170907/...`) is covered too; `host` falls back to the URL's.
 */
export function signingString({ method, url, header }: SignedParts, headerNames: readonly string[]): string {
  return headerNames
    .map((name) => {
      if (name === '(request-target)') return `${name}: ${method.toLowerCase()} ${url.pathname}${url.search}`;
      if (name === 'host') return `host: ${header('host') ?? url.host}`;
      return `${name}: ${header(name) ?? ''}`;
    })
    .join('\n');
}
