import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

describe('worker fetch', () => {
  it('answers health checks without touching a region', async () => {
    const response = await exports.default.fetch('http://example.com/healthz');
    expect(response.status).toBe(200);
  });
});
