import { ConfigError } from '../config/settings';
import { runBootstrap, runConsolePassword } from './bootstrap-command';
import { runMailbox } from './mailbox-command';

const io = {
  out: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(text),
};

const USAGE = [
  'usage: npm run admin -- <command>',
  '  bootstrap --public-key <pem file> [--tenancy-name <name>] [--d1 local [--persist-to <dir>]]',
  '  console-password [--d1 local [--persist-to <dir>]]',
  '  mailbox [--last <n>] [--id <id>]',
].join('\n');

const commands: Record<string, (args: string[]) => Promise<number>> = {
  bootstrap: (args) => runBootstrap(args, process.env, io),
  'console-password': (args) => runConsolePassword(args, process.env, io),
  mailbox: (args) => runMailbox(args, process.env, io),
};

const [command, ...args] = process.argv.slice(2);
const run = command === undefined ? undefined : commands[command];
if (!run) {
  io.err(`${command === undefined ? '' : `unknown command: ${command}\n`}${USAGE}\n`);
  process.exitCode = 2;
} else {
  try {
    process.exitCode = await run(args);
  } catch (error) {
    // One line for the user, never a stack trace: what went wrong, and the settings to look at.
    const message = error instanceof Error ? error.message : String(error);
    io.err(
      error instanceof ConfigError
        ? `${message}\n`
        : `admin ${command ?? ''} failed: ${message.split('\n')[0] ?? ''}\n` +
            'check DATA_DIR (or LIBSQL_URL_IDENTITY) and the files named above\n',
    );
    process.exitCode = 2;
  }
}
