import { ConfigError } from '../config/settings';

export interface Stoppable {
  close(): Promise<void>;
}

/**
 * Runs a long-lived service as a process: a configuration error exits 2 with its message, SIGINT or SIGTERM
 * closes the service and exits 0. Anything else is a bug and propagates.
 */
export async function runUntilSignalled(start: () => Promise<Stoppable>): Promise<void> {
  // Listening for signals before the start: one that arrives while the start prints its lines still stops cleanly.
  let service: Stoppable | undefined;
  const stop = (): void => {
    void (service?.close() ?? Promise.resolve()).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    service = await start();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}
