import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomIds } from '../../src/platform/system';

const OCI_BASE32 = /^[a-z2-7]+$/;

describe('system ids', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('draws random ids of the requested length in OCI base32', () => {
    const ids = Array.from({ length: 1_000 }, () => randomIds.random(32));
    expect(ids.every((id) => id.length === 32 && OCI_BASE32.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('orders ids by the time they were made, and keeps them unique and random after the time', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-28T10:00:00.000Z'));
    const earlier = Array.from({ length: 500 }, () => randomIds.ordered(32));
    vi.setSystemTime(new Date('2026-11-28T10:00:00.001Z'));
    const later = Array.from({ length: 500 }, () => randomIds.ordered(32));

    const all = [...earlier, ...later];
    expect(all.every((id) => id.length === 32 && OCI_BASE32.test(id))).toBe(true);
    expect(new Set(all).size).toBe(all.length);
    const latestEarlier = [...earlier].sort().at(-1) ?? '';
    expect(later.every((id) => id > latestEarlier)).toBe(true);
  });

  it('orders ids at every change of a time digit, letters to digits included', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const made = [0, 5, 6, 25, 26, 31, 32, 1023, 1024, Date.parse('2026-11-28T10:00:00Z')].map((ms) => {
      vi.setSystemTime(ms);
      return randomIds.ordered(16);
    });
    expect([...made].sort()).toEqual(made);
  });
});
