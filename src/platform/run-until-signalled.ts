import { ConfigError } from '../config/settings';

export interface Stoppable {
  close(): Promise<void>;
}

/**
 * Runs a long-lived service as a process: a configuration error exits 2 with its message, SIGINT or SIGTERM
 * closes the service and exits 0. Anything else is a bug and propagates.
 */
export async function runUntilSignalled(start: () => Promise<Stoppable>): Promise<void> {
  try {
    const service = await start();
    const stop = (): void => {
      void service.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}
