import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { signedFetch, workerAdmin } from './signed-fetch';

const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaaworkerbodylimit';
const LIMIT = 64 * 1024;

/** A chunked JSON body with no end in sight, counting the bytes the Worker pulled from it. */
function endless(): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  const chunk = new TextEncoder().encode('x'.repeat(8 * 1024));
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += chunk.length;
      controller.enqueue(chunk);
      if (pulled > 64 * LIMIT) controller.close();
    },
  });
  return { body, pulled: () => pulled };
}

describe('the Worker refuses an oversized body while reading it, before the signature check', () => {
  for (const path of ['/us-phoenix-1/20170907/senders', '/20160918/users']) {
    it(`${path} sent chunked`, async () => {
      const { body, pulled } = endless();
      const response = await exports.default.fetch(`http://worker.test${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ code: 'PayloadTooLarge' });
      expect(pulled()).toBeLessThan(4 * LIMIT);
    });

    it(`${path} signed, with a declared length over the limit`, async () => {
      const admin = await workerAdmin(TENANCY);
      const response = await signedFetch(admin, 'POST', path, {
        compartmentId: TENANCY,
        name: 'too-big',
        description: 'x'.repeat(LIMIT),
      });
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ code: 'PayloadTooLarge' });
    });
  }
});
