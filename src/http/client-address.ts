import type { Context } from 'hono';

/**
 * The peer's address: the socket's on Node, Cloudflare's `cf-connecting-ip` on Workers (set by the edge,
 * not the client). A header is never believed on Node, where any client could send it.
 */
export function clientAddressOf(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  if (env?.incoming) return env.incoming.socket?.remoteAddress;
  return c.req.header('cf-connecting-ip');
}
