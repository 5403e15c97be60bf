/**
 * The bytes of SMTP messages an ingress holds at once, read or being submitted, across all its listeners:
 * without a bound, many large messages arriving together could take the process's memory.
 */
export interface MessageBudget {
  /** Reserves `bytes`, or answers false when that would pass the bound (nothing is reserved then). */
  take(bytes: number): boolean;
  give(bytes: number): void;
}

export function messageBudget(maxBytes: number): MessageBudget {
  let held = 0;
  return {
    take(bytes) {
      if (held + bytes > maxBytes) return false;
      held += bytes;
      return true;
    },
    give(bytes) {
      held = Math.max(0, held - bytes);
    },
  };
}
