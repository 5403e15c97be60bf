import { describe, expect, it } from 'vitest';
import { perTenancy } from '../../../src/store/region/per-tenancy';

describe('per-tenancy scopes', () => {
  it('makes a tenancy scope once and gives every later call the same one', () => {
    const made: string[] = [];
    const scopeOf = perTenancy((tenancyId) => {
      made.push(tenancyId);
      return { tenancyId };
    });
    const first = scopeOf('t1');
    expect(scopeOf('t1')).toBe(first);
    expect(scopeOf('t2')).toEqual({ tenancyId: 't2' });
    expect(made).toEqual(['t1', 't2']);
  });

  it('keeps at most the given number, dropping the oldest made', () => {
    const made: string[] = [];
    const scopeOf = perTenancy((tenancyId) => {
      made.push(tenancyId);
      return { tenancyId };
    }, 2);
    scopeOf('t1');
    scopeOf('t2');
    scopeOf('t3');
    scopeOf('t2');
    scopeOf('t1');
    expect(made).toEqual(['t1', 't2', 't3', 't1']);
  });
});
