import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../../src/crypto/request-signature';
import { eventually } from '../delivery/node-support';
import { startService, type NodeService } from '../identity/node-service';

const CHUNK = new Uint8Array(64 * 1024).fill(0x78);
/** Far more than the loopback socket buffers hold, so a server that reads it all is noticed. */
const BODY_BYTES = 32 * 1024 * 1024;

let service: NodeService;
beforeAll(async () => {
  service = await startService();
});
afterAll(() => service.stop());

interface Exchange {
  status: number;
  body: { code?: string };
  /** Body bytes the client had written when the answer arrived. */
  sentBeforeAnswer: number;
}

/**
 * Streams up to BODY_BYTES to the real Node entry, stopping as soon as an answer arrives: a server that
 * reads the whole body answers only after the client finished.
 */
function stream(method: string, path: string, headers: Record<string, string>): Promise<Exchange> {
  const url = new URL(path, service.server.url);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered: IncomingMessage | undefined;
    const req = httpRequest(url, { method, headers, agent: false }, (res) => {
      answered = res;
      const sentBeforeAnswer = sent;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (part: string) => (text += part));
      res.on('end', () => {
        req.destroy();
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(text) as Exchange['body'],
          sentBeforeAnswer,
        });
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.flushHeaders();
    const pump = (): void => {
      while (!answered && sent < BODY_BYTES) {
        sent += CHUNK.length;
        if (!req.write(CHUNK)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** The headers of a POST of `body` to `path`, signed by the administrator. */
async function adminHeaders(path: string, body: string): Promise<Record<string, string>> {
  const admin = { ...service.admin, privateKey: service.admin.keys.privateKey };
  const url = `${service.server.url}${path}`;
  return (await signRequest(admin, 'POST', url, body, {}, { now: new Date() })).headers;
}

const chunked = { 'content-type': 'application/json', 'transfer-encoding': 'chunked' };

describe('the Node entry refuses an oversized body while reading it, before the signature check', () => {
  const cases = [
    ['a control-plane createSender', `/us-phoenix-1/20170907/senders`],
    ['an identity createUser', `/20160918/users`],
  ] as const;
  for (const [name, path] of cases) {
    it(`${name} sent chunked, without a length`, async () => {
      const answer = await stream('POST', path, chunked);
      expect({ status: answer.status, code: answer.body.code }).toEqual({
        status: 413,
        code: 'PayloadTooLarge',
      });
      expect(answer.sentBeforeAnswer).toBeLessThan(BODY_BYTES);
    });

    it(`${name} signed by a key holder, declaring a length over the limit`, async () => {
      const answer = await stream('POST', path, await adminHeaders(path, 'x'.repeat(BODY_BYTES)));
      expect({ status: answer.status, code: answer.body.code }).toEqual({
        status: 413,
        code: 'PayloadTooLarge',
      });
      expect(answer.sentBeforeAnswer).toBeLessThan(BODY_BYTES);
    });
  }
});

describe('a client that hangs up mid-body', () => {
  it('is logged at info, not as a failure', async () => {
    const path = '/us-phoenix-1/20170907/senders';
    const body = JSON.stringify({ compartmentId: service.admin.tenancyId, emailAddress: 'a@example.com' });
    const headers = await adminHeaders(path, body);
    const req = httpRequest(new URL(path, service.server.url), { method: 'POST', headers });
    req.on('error', () => undefined);
    req.write(body.slice(0, 10));
    // Once the server is waiting for the rest of the body, hang up.
    await new Promise((resolve) => setTimeout(resolve, 200));
    req.destroy();
    const line = await eventually(() =>
      Promise.resolve(service.logs.find((entry) => entry.includes(`"path":"${path}"`))),
    );
    expect(JSON.parse(line)).toMatchObject({ level: 'info', event: 'request.abandoned' });
  });
});
