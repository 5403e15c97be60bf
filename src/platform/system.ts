import type { Clock, Ids, Logger, LogFields, Runtime } from '../domain/ports';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

export const systemClock: Clock = { now: () => new Date() };

export const randomIds: Ids = {
  random(length) {
    const bytes = crypto.getRandomValues(new Uint8Array(length));
    let out = '';
    for (const byte of bytes) out += BASE32.charAt(byte & 31);
    return out;
  },
};

type Sink = (line: string) => void;

/** One JSON object per line; callers pass only non-secret fields. */
export function jsonLogger(sink: Sink = (line) => console.log(line)): Logger {
  const write =
    (level: string) =>
    (event: string, fields: LogFields = {}) =>
      sink(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

export function systemRuntime(logger: Logger = jsonLogger()): Runtime {
  return { clock: systemClock, ids: randomIds, logger };
}
