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

/**
 * The bytes of messages being submitted at once. Submitting copies a message a few times over (its text,
 * the message as relayed, the database's parameters), so messages beyond this wait their turn holding
 * only their bytes; one message always goes, however large.
 */
export interface SubmitGate {
  run<T>(bytes: number, submit: () => Promise<T>): Promise<T>;
}

export function submitGate(maxBytes: number): SubmitGate {
  let active = 0;
  let running = 0;
  const waiting: { bytes: number; start: () => void }[] = [];
  const admits = (bytes: number) => running === 0 || active + bytes <= maxBytes;
  const admit = (bytes: number) => {
    active += bytes;
    running += 1;
  };
  const startNext = () => {
    // In arrival order: a large message is not passed over for ever by small ones.
    for (let next = waiting[0]; next && admits(next.bytes); next = waiting[0]) {
      waiting.shift();
      admit(next.bytes);
      next.start();
    }
  };
  return {
    async run(bytes, submit) {
      if (waiting.length === 0 && admits(bytes)) admit(bytes);
      else await new Promise<void>((start) => waiting.push({ bytes, start }));
      try {
        return await submit();
      } finally {
        active -= bytes;
        running -= 1;
        startNext();
      }
    },
  };
}
