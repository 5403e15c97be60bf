import { describe, expect, it } from 'vitest';
import { lazyScope } from '../../../src/store/lazy-scope';

describe('lazy scope', () => {
  it('builds a member on first use only, keeps it, and leaves the others unbuilt', () => {
    const built: string[] = [];
    const scope = lazyScope({
      users: () => {
        built.push('users');
        return { name: 'users' };
      },
      groups: () => {
        built.push('groups');
        return { name: 'groups' };
      },
    });
    expect(built).toEqual([]);
    const first = scope.users;
    expect(scope.users).toBe(first);
    expect(built).toEqual(['users']);
    expect(Object.keys(scope)).toEqual(['users', 'groups']);
  });
});
