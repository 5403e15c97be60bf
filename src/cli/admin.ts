import { ConfigError } from '../config/settings';
import { runBootstrap } from './bootstrap-command';

const io = {
  out: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(text),
};

const [command, ...args] = process.argv.slice(2);
try {
  if (command !== 'bootstrap') {
    io.err('usage: npm run admin -- bootstrap --public-key <pem file> [--tenancy-name <name>]\n');
    process.exitCode = 2;
  } else {
    process.exitCode = await runBootstrap(args, process.env, io);
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  io.err(`${error.message}\n`);
  process.exitCode = 2;
}
