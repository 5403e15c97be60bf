const TENANCIES_KEPT = 1_000;

/**
 * A tenancy's scope, made once and kept: its repositories hold nothing but the database and the tenancy,
 * so every request of the tenancy can share them. At most `max` are kept; the oldest made goes first.
 */
export function perTenancy<T>(
  make: (tenancyId: string) => T,
  max = TENANCIES_KEPT,
): (tenancyId: string) => T {
  const kept = new Map<string, T>();
  return (tenancyId) => {
    const found = kept.get(tenancyId);
    if (found !== undefined) return found;
    const scope = make(tenancyId);
    kept.set(tenancyId, scope);
    if (kept.size > max) {
      const oldest = kept.keys().next();
      if (!oldest.done) kept.delete(oldest.value);
    }
    return scope;
  };
}
