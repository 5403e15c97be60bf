import { describe, expect, it } from 'vitest';
import { coalescer, type NextTurn } from '../../../src/store/sql/coalescer';

const immediate: NextTurn = (flush) => setImmediate(flush);

function recordingLoad() {
  const loads: number[][] = [];
  const load = (keys: number[]) => {
    loads.push(keys);
    return Promise.resolve(keys.map((k) => k * 10));
  };
  return { loads, load };
}

describe('coalescer', () => {
  it('answers the calls of one turn with one load, each with its own value', async () => {
    const { loads, load } = recordingLoad();
    const get = coalescer(load, { nextTurn: immediate });
    await expect(Promise.all([get(1), get(2), get(3)])).resolves.toEqual([10, 20, 30]);
    expect(loads).toEqual([[1, 2, 3]]);
  });

  it('loads again for calls made in a later turn', async () => {
    const { loads, load } = recordingLoad();
    const get = coalescer(load, { nextTurn: immediate });
    await get(1);
    await Promise.all([get(2), get(3)]);
    expect(loads).toEqual([[1], [2, 3]]);
  });

  it('loads every call alone without a next turn', async () => {
    const { loads, load } = recordingLoad();
    const get = coalescer(load, {});
    await expect(Promise.all([get(1), get(2)])).resolves.toEqual([10, 20]);
    expect(loads).toEqual([[1], [2]]);
  });

  it('fails every call of a load that fails, and the next turn loads afresh', async () => {
    let fail = true;
    const get = coalescer(
      (keys: number[]) => (fail ? Promise.reject(new Error('database gone')) : Promise.resolve(keys)),
      { nextTurn: immediate },
    );
    const results = await Promise.allSettled([get(1), get(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(get(3)).resolves.toBe(3);
  });

  it('bounds the keys of one load', async () => {
    const { loads, load } = recordingLoad();
    const get = coalescer(load, { nextTurn: immediate });
    const values = await Promise.all(Array.from({ length: 600 }, (_, i) => get(i)));
    expect(values[599]).toBe(5990);
    expect(loads.map((keys) => keys.length)).toEqual([256, 256, 88]);
  });
});

describe('coalescer, several keys at once', () => {
  it('loads them together without a next turn', async () => {
    const { loads, load } = recordingLoad();
    const get = coalescer(load, {});
    await expect(get.many([1, 2, 3])).resolves.toEqual([10, 20, 30]);
    expect(loads).toEqual([[1, 2, 3]]);
  });

  it('joins them to the turn’s shared load with a next turn', async () => {
    const { loads, load } = recordingLoad();
    const get = coalescer(load, { nextTurn: immediate });
    await expect(Promise.all([get(1), get.many([2, 3])])).resolves.toEqual([10, [20, 30]]);
    expect(loads).toEqual([[1, 2, 3]]);
  });
});
