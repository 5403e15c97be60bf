const MAX_URL_LENGTH = 2_048;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const isLoopback = (host: string): boolean => LOOPBACK_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host);

/** Why `url` cannot receive webhooks (https only, plain http to this host alone), or undefined. */
export function webhookUrlProblem(url: string): string | undefined {
  if (url.length > MAX_URL_LENGTH) return `at most ${MAX_URL_LENGTH} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.username !== '' || parsed.password !== '') return 'must not carry credentials';
  if (parsed.hash !== '') return 'must not have a fragment';
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && isLoopback(parsed.hostname)) return undefined;
  return 'must be https (plain http only to a loopback address)';
}
