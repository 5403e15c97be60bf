import { serve } from '@hono/node-server';
import { Hono } from 'hono';

// The baseline: a bare Hono handler that reads the same JSON body and answers a small JSON object.
const app = new Hono().post('*', async (c) => {
  const body: unknown = await c.req.json();
  return c.json({ ok: body !== null });
});

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  console.log(`bare hono listening on http://127.0.0.1:${String(info.port)}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
