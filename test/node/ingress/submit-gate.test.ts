import { describe, expect, it } from 'vitest';
import { submitGate } from '../../../src/ingress/message-budget';

/** A submission that runs until the test lets it finish. */
function held() {
  const finishers: (() => void)[] = [];
  const done = new Promise<void>((resolve) => finishers.push(resolve));
  return { finish: () => finishers.forEach((finish) => finish()), submit: () => done };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('submitGate: the bytes of messages being submitted at once', () => {
  it('lets messages through up to its bytes, and the next one once room is given back', async () => {
    const gate = submitGate(10);
    const started: string[] = [];
    const first = held();
    const second = held();
    const third = held();
    const runs = [
      gate.run(6, () => (started.push('first'), first.submit())),
      gate.run(4, () => (started.push('second'), second.submit())),
      gate.run(3, () => (started.push('third'), third.submit())),
    ];
    await settle();
    expect(started).toEqual(['first', 'second']);
    first.finish();
    await settle();
    expect(started).toEqual(['first', 'second', 'third']);
    second.finish();
    third.finish();
    await Promise.all(runs);
  });

  it('lets one message larger than its bytes through alone, and keeps arrival order behind it', async () => {
    const gate = submitGate(10);
    const started: string[] = [];
    const large = held();
    const runs = [
      gate.run(50, () => (started.push('large'), large.submit())),
      gate.run(20, () => (started.push('next large'), Promise.resolve())),
      gate.run(1, () => (started.push('small'), Promise.resolve())),
    ];
    await settle();
    expect(started).toEqual(['large']);
    large.finish();
    await Promise.all(runs);
    expect(started).toEqual(['large', 'next large', 'small']);
  });

  it('gives its room back when a submission fails', async () => {
    const gate = submitGate(10);
    await expect(gate.run(10, () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await expect(gate.run(10, () => Promise.resolve('ok'))).resolves.toBe('ok');
  });
});
