import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { CapturedMail, CaptureMailboxReader, Clock, Ids } from '../domain/ports';
import { sameBytes } from '../crypto/same-bytes';
import { ensureDir, ensurePrivateFile, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './data-dir';
import { LOCAL_TLS_HOSTS, type LocalTls } from './local-ca';

/** Index of what arrived: one JSON object per line, appended, so a crash loses at most the last line. */
export const MAILBOX_INDEX = 'index.jsonl';
/** Larger than anything the submission API accepts; the sink refuses more with 552. */
export const MAX_CAPTURED_MESSAGE_BYTES = 50 * 1024 * 1024;
const CAPTURE_ID = /^[0-9]{13}-[a-z2-7]{10}$/;
const ID_RANDOM_LENGTH = 10;
const CLOSE_TIMEOUT_MS = 1_000; // the relay closes its own sessions first; stragglers are cut off
/** The relay's login: only the process that started the mailbox knows the password. */
export const CAPTURE_RELAY_USER = 'relay';
/** The envelope id the relay sends with each copy: `<region>/<tenancy OCID>`. */
const ENVELOPE_ID = /^([a-z0-9-]{1,64})\/(ocid1\.tenancy\.[a-z0-9._-]{1,200})$/;

export const captureEnvelopeId = (region: string, tenancyId: string): string => `${region}/${tenancyId}`;

export interface CaptureMailbox {
  /** Where the relay connects: implicit TLS on 127.0.0.1. */
  port: number;
  reader: CaptureMailboxReader;
  close(): Promise<void>;
}

interface IndexLine {
  id: string;
  tenancyId: string;
  region: string;
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

/** Every copy the mailbox under `dir` holds, oldest first, for whoever may read the folder (the admin CLI). */
export async function readCapturedIndex(dir: string): Promise<CapturedMail[]> {
  const text = await readFile(join(dir, MAILBOX_INDEX), 'utf8').catch(() => '');
  return parseIndex(text).map(toCaptured);
}

/** One captured copy as received, or undefined for an id that is not one. */
export function readCapturedMessage(dir: string, id: string): Promise<string | undefined> {
  if (!CAPTURE_ID.test(id)) return Promise.resolve(undefined);
  return readFile(join(dir, `${id}.eml`), 'utf8').catch(() => undefined);
}

/**
 * The local default relay target: an SMTP sink over implicit TLS on 127.0.0.1 that files each message
 * as `<id>.eml` under `dir` (DATA_DIR/mailbox), under the tenancy and region its relay names, and answers
 * 250 only once it is on disk. Only the relay holding `relayPassword` may hand it mail.
 */
export async function startCaptureMailbox(
  dir: string,
  tls: LocalTls,
  clock: Clock,
  ids: Ids,
  relayPassword: string,
): Promise<CaptureMailbox> {
  ensureDir(dir, PRIVATE_DIR_MODE);
  const indexPath = join(dir, MAILBOX_INDEX);
  ensurePrivateFile(indexPath);
  const expectedPassword = new TextEncoder().encode(relayPassword);

  async function file(
    raw: Buffer,
    owner: { tenancyId: string; region: string },
    mailFrom: string,
    rcptTo: string[],
  ) {
    const receivedAt = clock.now();
    const id = `${receivedAt.getTime()}-${ids.random(ID_RANDOM_LENGTH)}`;
    await writeFile(join(dir, `${id}.eml`), raw, { mode: PRIVATE_FILE_MODE });
    const line: IndexLine = {
      id,
      ...owner,
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
    authMethods: ['PLAIN'],
    hideDSN: false, // the relay names each copy's tenancy and region in its ENVID
    size: MAX_CAPTURED_MESSAGE_BYTES,
    closeTimeout: CLOSE_TIMEOUT_MS,
    onAuth(auth, _session, callback) {
      const given = new TextEncoder().encode(auth.password ?? '');
      if (auth.username === CAPTURE_RELAY_USER && sameBytes(given, expectedPassword)) {
        return callback(null, { user: CAPTURE_RELAY_USER });
      }
      callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          return callback(Object.assign(new Error('5.3.4 Message too big'), { responseCode: 552 }));
        }
        const owner = ENVELOPE_ID.exec(session.envelope.dsn?.envid ?? '');
        if (!owner?.[1] || !owner[2]) {
          return callback(
            Object.assign(new Error('5.7.1 ENVID <region>/<tenancy> required'), { responseCode: 550 }),
          );
        }
        const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const rcptTo = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        file(Buffer.concat(chunks), { region: owner[1], tenancyId: owner[2] }, mailFrom, rcptTo).then(
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

  const ownedBy = async (tenancyId: string) =>
    (await readCapturedIndex(dir)).filter((mail) => mail.tenancyId === tenancyId);
  const reader: CaptureMailboxReader = {
    async list(tenancyId, limit) {
      return (await ownedBy(tenancyId)).slice(-limit).reverse();
    },
    async raw(tenancyId, id) {
      if (!(await ownedBy(tenancyId)).some((mail) => mail.id === id)) return undefined;
      return readCapturedMessage(dir, id);
    },
  };

  return {
    port,
    reader,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
