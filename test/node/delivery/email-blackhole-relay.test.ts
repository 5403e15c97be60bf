import { describe, expect, it } from 'vitest';
import type { Relay, RelayMessage, RelayOutcome } from '../../../src/domain/ports';
import { withEmailBlackhole } from '../../../src/domain/simulator';

const RELAYED: RelayOutcome = { kind: 'sent', code: 250, enhanced: '2.0.0', detail: '250 2.0.0 Ok: queued' };

/** The relay under the decorator: records what reaches it. */
function innerRelay() {
  const sent: string[] = [];
  let closed = 0;
  const relay: Relay = {
    host: 'relay.example.test',
    send(message) {
      sent.push(message.to);
      return Promise.resolve(RELAYED);
    },
    close() {
      closed += 1;
      return Promise.resolve();
    },
  };
  return { relay, sent, closed: () => closed };
}

const copyTo = (to: string): RelayMessage => ({
  from: 'app@example.com',
  to,
  raw: 'Subject: hi\r\n\r\nhi\r\n',
});

describe('withEmailBlackhole', () => {
  it('answers each scenario itself, as the simulator, and never reaches the relay', async () => {
    const inner = innerRelay();
    const relay = withEmailBlackhole(inner.relay);
    const answers = await Promise.all(
      ['success', 'Bounce+x', 'softbounce', 'complaint', 'unsubscribe'].map((name) =>
        relay.send(copyTo(`${name}@Email-Blackhole.com`)),
      ),
    );
    for (const answer of answers)
      expect(answer.answeredBy).toEqual({ host: 'email-blackhole.com', via: 'simulator' });
    expect(answers.map(({ kind, code, then }) => [kind, code, then?.reason])).toEqual([
      ['sent', 250, undefined],
      ['permanent', 550, undefined],
      ['transient', 452, undefined],
      ['sent', 250, 'COMPLAINT'],
      ['sent', 250, 'UNSUBSCRIBE'],
    ]);
    expect(inner.sent).toEqual([]);
  });

  it('accepts any other address at the domain without a reply code, and without relaying it', async () => {
    const inner = innerRelay();
    expect(await withEmailBlackhole(inner.relay).send(copyTo('load-test-17@email-blackhole.com'))).toEqual({
      kind: 'sent',
      code: undefined,
      enhanced: undefined,
      detail: 'accepted, not relayed',
    });
    expect(inner.sent).toEqual([]);
  });

  it('passes every other copy, the host and close to the relay it wraps', async () => {
    const inner = innerRelay();
    const relay = withEmailBlackhole(inner.relay);
    expect(await relay.send(copyTo('bounce@email-blackhole.com.example.net'))).toBe(RELAYED);
    expect(await relay.send(copyTo('someone@example.net'))).toBe(RELAYED);
    expect(inner.sent).toEqual(['bounce@email-blackhole.com.example.net', 'someone@example.net']);
    expect(relay.host).toBe('relay.example.test');
    await relay.close();
    expect(inner.closed()).toBe(1);
  });
});
