// Preloaded into a benchmarked entry (with --expose-gc): SIGUSR2 runs a full collection, so the resident
// memory read next is what the process keeps, not garbage V8 has not needed to collect yet.
const collect = (globalThis as { gc?: () => void }).gc;
process.on('SIGUSR2', () => {
  collect?.();
  process.stderr.write('collected\n');
});
