import { startSink } from '../../test/support/smtp-sink';

// Prints its port, serves until stdin closes. It keeps every message it receives, as the test sink does.
const sink = await startSink({ tls: 'implicit' });
console.log(sink.port);
process.stdin.resume();
process.stdin.once('end', () => {
  void sink.close().then(() => process.exit(0));
});
