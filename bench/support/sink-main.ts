import { SMTPServer } from 'smtp-server';
import { loadOrCreateLocalTls } from '../../src/platform/local-ca';

// A TLS sink for the relay bench: accepts every message over implicit TLS with a certificate of the project's
// local CA (kept in the folder given as the first argument), prints its port, serves until stdin closes.
const dir = process.argv[2];
if (!dir) throw new Error('usage: sink-main <tls folder>');
const tls = await loadOrCreateLocalTls(dir);
const server = new SMTPServer({
  secure: true,
  key: tls.key,
  cert: tls.cert,
  name: 'sink.bench',
  logger: false,
  disableReverseLookup: true,
  authOptional: true,
  disabledCommands: ['AUTH'],
  onData(stream, _session, callback) {
    // Kept until the message ends, as a real relay would hold it before answering.
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => callback());
  },
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
console.log((server.server.address() as { port: number }).port);
process.stdin.resume();
process.stdin.once('end', () => server.close(() => process.exit(0)));
