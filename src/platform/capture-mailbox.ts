import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { CapturedMail, CaptureMailboxReader, Clock, Ids } from '../domain/ports';
import { LOCAL_TLS_HOSTS, type LocalTls } from './local-ca';

/** Index of what arrived: one JSON object per line, appended, so a crash loses at most the last line. */
export const MAILBOX_INDEX = 'index.jsonl';
/** Larger than anything the submission API accepts; the sink refuses more with 552. */
export const MAX_CAPTURED_MESSAGE_BYTES = 50 * 1024 * 1024;
const CAPTURE_ID = /^[0-9]{13}-[a-z2-7]{10}$/;
const ID_RANDOM_LENGTH = 10;
const CLOSE_TIMEOUT_MS = 1_000; // the relay closes its own sessions first; stragglers are cut off

export interface CaptureMailbox {
  /** Where the relay connects: implicit TLS on 127.0.0.1. */
  port: number;
  reader: CaptureMailboxReader;
  close(): Promise<void>;
}

interface IndexLine {
  id: string;
  mailFrom: string;
  rcptTo: string[];
  receivedAt: string;
  sizeBytes: number;
}

const toCaptured = (line: IndexLine): CapturedMail => ({ ...line, receivedAt: new Date(line.receivedAt) });

function parseIndex(text: string): IndexLine[] {
  const lines: IndexLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      lines.push(JSON.parse(line) as IndexLine);
    } catch {
      // A line cut short by a crash: the .eml may be there, the entry is not.
    }
  }
  return lines;
}

/**
 * The local default relay target: an SMTP sink over implicit TLS on 127.0.0.1 that files each message
 * as `<id>.eml` under `dir` (DATA_DIR/mailbox) and answers 250 only once it is on disk.
 */
export async function startCaptureMailbox(
  dir: string,
  tls: LocalTls,
  clock: Clock,
  ids: Ids,
): Promise<CaptureMailbox> {
  await mkdir(dir, { recursive: true });
  const indexPath = join(dir, MAILBOX_INDEX);

  async function file(raw: Buffer, mailFrom: string, rcptTo: string[]): Promise<void> {
    const receivedAt = clock.now();
    const id = `${receivedAt.getTime()}-${ids.random(ID_RANDOM_LENGTH)}`;
    await writeFile(join(dir, `${id}.eml`), raw);
    const line: IndexLine = {
      id,
      mailFrom,
      rcptTo,
      receivedAt: receivedAt.toISOString(),
      sizeBytes: raw.length,
    };
    await appendFile(indexPath, `${JSON.stringify(line)}\n`);
  }

  const server = new SMTPServer({
    key: tls.key,
    cert: tls.cert,
    secure: true,
    minVersion: 'TLSv1.2',
    name: LOCAL_TLS_HOSTS.dns,
    banner: 'capture mailbox',
    logger: false,
    disableReverseLookup: true,
    authOptional: true,
    disabledCommands: ['AUTH'],
    size: MAX_CAPTURED_MESSAGE_BYTES,
    closeTimeout: CLOSE_TIMEOUT_MS,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          return callback(Object.assign(new Error('5.3.4 Message too big'), { responseCode: 552 }));
        }
        const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const rcptTo = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        file(Buffer.concat(chunks), mailFrom, rcptTo).then(
          () => callback(null, '2.0.0 Captured'),
          (error: unknown) =>
            callback(
              Object.assign(new Error(`4.3.0 Mailbox not writable: ${(error as Error).message}`), {
                responseCode: 451,
              }),
            ),
        );
      });
    },
  });
  server.on('error', () => {
    // A client that vanishes mid-session is its own problem; the mailbox keeps serving.
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, LOCAL_TLS_HOSTS.ip, () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });

  const reader: CaptureMailboxReader = {
    async list(limit) {
      const text = await readFile(indexPath, 'utf8').catch(() => '');
      return parseIndex(text).slice(-limit).reverse().map(toCaptured);
    },
    async raw(id) {
      if (!CAPTURE_ID.test(id)) return undefined;
      return readFile(join(dir, `${id}.eml`), 'utf8').catch(() => undefined);
    },
  };

  return {
    port,
    reader,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
