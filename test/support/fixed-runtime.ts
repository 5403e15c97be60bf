import type { Clock, Ids, LogFields, Logger, Runtime } from '../../src/domain/ports';

export interface ManualClock extends Clock {
  set(time: Date | string): void;
  advance(ms: number): void;
}

export function manualClock(start = '2026-01-02T03:04:05.678Z'): ManualClock {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    set: (time) => {
      now = new Date(time).getTime();
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

const RADIX_32 = '0123456789abcdefghijklmnopqrstuv';
const OCI_BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * Deterministic ids: a counter spelled in OCI's base32 alphabet, padded to the requested length. Two
 * processes on one database count from different `start`s, as random ids would never meet.
 */
export function sequentialIds(start = 0): Ids {
  let next = start;
  const random = (length: number): string => {
    next += 1;
    const digits = Array.from(next.toString(32), (d) => OCI_BASE32.charAt(RADIX_32.indexOf(d))).join('');
    return digits.padStart(length, 'a');
  };
  return { random, ordered: random };
}

export interface LogEntry {
  level: string;
  event: string;
  fields: LogFields;
}

export interface CapturingLogger extends Logger {
  entries: LogEntry[];
}

export function capturingLogger(): CapturingLogger {
  const entries: LogEntry[] = [];
  const at =
    (level: string) =>
    (event: string, fields: LogFields = {}) => {
      entries.push({ level, event, fields });
    };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function fixedRuntime(): Runtime & { clock: ManualClock; logger: CapturingLogger } {
  return { clock: manualClock(), ids: sequentialIds(), logger: capturingLogger() };
}
