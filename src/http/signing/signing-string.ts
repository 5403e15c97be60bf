/**
 * The text the client signed: one `name: value` line per listed header, joined with `\n`.
 * `(request-target)` is the lower-case method and the path and query exactly as received, so a path
 * prefix in the client's endpoint (`/us-phoenix-1/20170907/...`) is covered too.
 */
export function signingString(request: Request, headerNames: readonly string[]): string {
  const url = new URL(request.url);
  return headerNames
    .map((name) => {
      if (name === '(request-target)') {
        return `${name}: ${request.method.toLowerCase()} ${url.pathname}${url.search}`;
      }
      if (name === 'host') return `host: ${request.headers.get('host') ?? url.host}`;
      return `${name}: ${request.headers.get(name) ?? ''}`;
    })
    .join('\n');
}
