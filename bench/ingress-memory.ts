import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import {
  approveSender,
  bootstrappedDataDir,
  freePort,
  removeDir,
  rssMiB,
  signedJson,
  startNodeEntry,
} from './support';

const MESSAGES = 40;
const MESSAGE_MIB = 2;
const SENDER = 'bench@example.com';
const TARGET_RATIO = 1.5;

/** A message of about `mib` MiB to one blackhole recipient (accepted and counted, never relayed). */
function bigMessage(n: number, mib: number): string {
  const line = `${'x'.repeat(76)}\r\n`;
  return [
    `From: Bench <${SENDER}>`,
    `To: <big-${String(n)}@email-blackhole.com>`,
    `Subject: big ${String(n)}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    line.repeat(Math.ceil((mib * 1024 * 1024) / line.length)),
  ].join('\r\n');
}

interface Peak {
  before: number;
  peak: number;
}

/**
 * One fresh Node entry: 40 sessions each send a small message, then (after a full collection, where the
 * baseline is read) one message of MESSAGE_MIB each at once, all together. `keepSessions`: the big
 * messages go over the sessions the small ones opened, so the figure is the messages' alone; otherwise
 * each opens its own (TLS, AUTH), as a client that connects per message does.
 */
async function peakWhileSending(keepSessions: boolean): Promise<Peak> {
  const { dataDir, admin } = await bootstrappedDataDir();
  const tlsPort = await freePort();
  const entry = await startNodeEntry(
    dataDir,
    {
      SMTP_TLS_PORT: String(tlsPort),
      SMTP_STARTTLS_PORT: String(await freePort()),
      SUBMIT_MAX_MESSAGE_BYTES: String(4 * 1024 * 1024),
      SMTP_MAX_CONNECTIONS_PER_ADDRESS: String(MESSAGES),
    },
    { collectable: true },
  );
  try {
    await approveSender(entry, admin, SENDER);
    const created = await signedJson(admin, entry.url, `/20160918/users/${admin.userId}/smtpCredentials`, {
      description: 'bench',
    });
    const login = (await created.json()) as { username: string; password: string };
    const transport = () =>
      nodemailer.createTransport({
        host: '127.0.0.1',
        port: tlsPort,
        secure: true,
        auth: { user: login.username, pass: login.password },
        tls: { ca: readFileSync(join(dataDir, 'tls', 'ca-cert.pem'), 'utf8') },
        ...(keepSessions ? { pool: true, maxConnections: 1 } : {}),
      });
    let mailers = Array.from({ length: MESSAGES }, transport);
    const send = (round: number, mib: number) =>
      Promise.all(
        mailers.map((mailer, i) =>
          mailer.sendMail({
            envelope: { from: SENDER, to: [`big-${String(round * MESSAGES + i)}@email-blackhole.com`] },
            raw: bigMessage(round * MESSAGES + i, mib),
          }),
        ),
      );
    // Warmed up with small messages: TLS, the stores and the code paths, but no large buffer seen yet.
    await send(0, 0.01);
    if (!keepSessions) {
      mailers.forEach((mailer) => mailer.close());
      mailers = Array.from({ length: MESSAGES }, transport);
    }
    await entry.collect();
    const before = rssMiB(entry.pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(entry.pid))), 10);
    await send(1, MESSAGE_MIB);
    clearInterval(sampler);
    mailers.forEach((mailer) => mailer.close());
    return { before, peak };
  } finally {
    await entry.stop();
    removeDir(dataDir);
  }
}

/** The Node entry's resident memory while 40 sessions each send a 2 MiB message at once, against the data in flight. */
export async function ingressMemory(): Promise<void> {
  const inFlight = MESSAGES * MESSAGE_MIB;
  const line = (what: string, { before, peak }: Peak, target?: number) => {
    const ratio = (peak - before) / inFlight;
    const verdict =
      target === undefined ? '' : ` (target <= ${String(target)})${ratio <= target ? '' : '  ABOVE TARGET'}`;
    return (
      `  ${what}: resident memory before ${before.toFixed(1)} MiB, peak ${peak.toFixed(1)} MiB, ` +
      `added ${(peak - before).toFixed(1)} MiB, ratio ${ratio.toFixed(2)}${verdict}`
    );
  };
  console.log(
    `SMTP ingress, ${String(MESSAGES)} sessions each sending one ${String(MESSAGE_MIB)} MiB message at once ` +
      `(${String(inFlight)} MiB in flight):\n` +
      `${line('over sessions already open (the messages alone)', await peakWhileSending(true), TARGET_RATIO)}\n` +
      line(
        'each over a session of its own, opened then (TLS and AUTH included)',
        await peakWhileSending(false),
      ),
  );
}
