import { ConfigError } from './config/settings';
import { startNodeServer } from './platform/node-server';

try {
  const server = await startNodeServer(process.env, { smtpIngress: true });
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
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
