import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readNodeSettings } from '../config/node-env';
import { readCapturedIndex, readCapturedMessage } from '../platform/capture-mailbox';
import type { CommandIo } from './bootstrap-command';

const USAGE = 'usage: npm run admin -- mailbox [--last <n>] [--id <id>]';
const DEFAULT_LAST = 10;
const MAX_LAST = 1_000;

/**
 * `mailbox`: prints what the capture mailbox under DATA_DIR received (when `npm start` runs without a
 * relay), newest last: a summary line per copy, then the copy as received. Reads the files directly.
 */
export async function runMailbox(
  args: string[],
  env: Record<string, string | undefined>,
  io: CommandIo,
): Promise<number> {
  let values: { last?: string | undefined; id?: string | undefined };
  try {
    ({ values } = parseArgs({
      args,
      options: { last: { type: 'string' }, id: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const last = values.last === undefined ? DEFAULT_LAST : Number(values.last);
  if (!Number.isInteger(last) || last < 1 || last > MAX_LAST) {
    io.err(`--last takes a whole number from 1 to ${String(MAX_LAST)}\n${USAGE}\n`);
    return 2;
  }
  const dir = join(readNodeSettings(env).DATA_DIR, 'mailbox');
  const index = await readCapturedIndex(dir);
  const chosen = values.id === undefined ? index.slice(-last) : index.filter((mail) => mail.id === values.id);
  if (chosen.length === 0) {
    io.err(
      values.id === undefined
        ? `the capture mailbox in ${dir} is empty: send a message while \`npm start\` runs without a relay\n`
        : `no captured message ${values.id} in ${dir}\n`,
    );
    return values.id === undefined ? 0 : 2;
  }
  for (const mail of chosen) {
    const raw = (await readCapturedMessage(dir, mail.id)) ?? '(the message file is missing)\n';
    io.out(
      [
        `=== ${mail.id}  ${mail.receivedAt.toISOString()}  ${mail.region}  ${mail.tenancyId}`,
        `=== MAIL FROM:<${mail.mailFrom}>  RCPT TO:${mail.rcptTo.map((to) => `<${to}>`).join(',')}  ${String(mail.sizeBytes)} bytes`,
        raw.replace(/\r\n/g, '\n').trimEnd(),
        '',
        '',
      ].join('\n'),
    );
  }
  return 0;
}
