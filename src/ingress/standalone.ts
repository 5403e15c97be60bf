import { readStandaloneIngressSettings } from '../config/standalone-ingress-env';
import { ConfigError } from '../config/settings';
import { jsonLogger, systemRuntime } from '../platform/system';
import { startStandaloneIngress } from './start-standalone-ingress';

try {
  const ingress = await startStandaloneIngress(
    readStandaloneIngressSettings(process.env),
    systemRuntime(jsonLogger()),
  );
  for (const line of ingress.describe()) console.log(line);
  const stop = (): void => {
    void ingress.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
