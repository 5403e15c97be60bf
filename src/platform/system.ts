import type { Clock, Ids, Logger, LogFields, Runtime } from '../domain/ports';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

export const systemClock: Clock = { now: () => new Date() };

const RANDOM_POOL_BYTES = 4_096;

/** Random bytes drawn from the system generator a pool at a time: one call per id costs more than the id. */
function randomBytes(): (length: number) => Uint8Array {
  let pool = new Uint8Array(0);
  let used = 0;
  return (length) => {
    if (length > RANDOM_POOL_BYTES) return crypto.getRandomValues(new Uint8Array(length));
    if (used + length > pool.length) {
      pool = crypto.getRandomValues(new Uint8Array(RANDOM_POOL_BYTES));
      used = 0;
    }
    const bytes = pool.subarray(used, used + length);
    used += length;
    return bytes;
  };
}

/** Random bytes from the system's cryptographic generator. */
export const systemRandomBytes = randomBytes();

const TIME_CHARS = 10; // 50 bits of milliseconds
// The same characters as digits in ASCII order, so the time prefix sorts as the time does.
const SORTED_BASE32 = '234567abcdefghijklmnopqrstuvwxyz';

function randomChars(length: number): string {
  let out = '';
  for (const byte of systemRandomBytes(length)) out += BASE32.charAt(byte & 31);
  return out;
}

function timeChars(ms: number): string {
  let out = '';
  for (let i = TIME_CHARS - 1, rest = ms; i >= 0; i -= 1, rest = Math.floor(rest / 32)) {
    out = SORTED_BASE32.charAt(rest % 32) + out;
  }
  return out;
}

export const randomIds: Ids = {
  random: randomChars,
  ordered: (length) =>
    (timeChars(Date.now()) + randomChars(Math.max(0, length - TIME_CHARS))).slice(0, length),
};

type Sink = (line: string) => void;

/** One JSON object per line; callers pass only non-secret fields. */
export function jsonLogger(
  sink: Sink = (line) => console.log(line),
  threshold: 'debug' | 'info' = 'info',
): Logger {
  const write =
    (level: string) =>
    (event: string, fields: LogFields = {}) =>
      sink(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));
  return {
    debug: threshold === 'debug' ? write('debug') : () => undefined,
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
}

export function systemRuntime(logger: Logger = jsonLogger()): Runtime {
  return { clock: systemClock, ids: randomIds, logger };
}
