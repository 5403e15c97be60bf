/**
 * An object whose members are built on first use and kept: a tenancy's scope names every repository, and
 * a request uses one or two of them.
 */
export function lazyScope<T extends object>(factories: { [K in keyof T]: () => T[K] }): T {
  const scope = {} as T;
  for (const name of Object.keys(factories) as (keyof T & string)[]) {
    Object.defineProperty(scope, name, {
      enumerable: true,
      configurable: true,
      get() {
        const value = factories[name]();
        Object.defineProperty(scope, name, { value, enumerable: true });
        return value;
      },
    });
  }
  return scope;
}
