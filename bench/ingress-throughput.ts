import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import {
  approveSender,
  bootstrappedDataDir,
  freePort,
  REGION,
  removeDir,
  runLoad,
  signedJson,
  signedPosts,
  startNodeEntry,
} from './support';

const CONNECTIONS = 8; // SMTP connections, and HTTP requests in flight: the same parallelism on both paths
const WARMUP = 200;
const MEASURED = 2_000;
const SENDER = 'bench@example.com';
const RAW_PATH = `/${REGION}/20220926/actions/submitRawEmail`;

/** One blackhole recipient each (accepted and counted, never relayed), unique by `n`. */
const rawMessage = (n: number): string =>
  [
    `From: Bench <${SENDER}>`,
    `To: <load-${String(n)}@email-blackhole.com>`,
    `Subject: bench ${String(n)}`,
    'Date: Fri, 02 Jan 2026 03:04:05 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Hello from the benchmark, message ${String(n)}.`,
    '',
  ].join('\r\n');

/** Messages per second through the SMTP ingress against the same messages via submitRawEmail, same server. */
export async function ingressThroughput(): Promise<void> {
  const { dataDir, admin } = await bootstrappedDataDir();
  const tlsPort = await freePort();
  const entry = await startNodeEntry(dataDir, {
    SMTP_TLS_PORT: String(tlsPort),
    SMTP_STARTTLS_PORT: String(await freePort()),
  });
  try {
    await approveSender(entry, admin, SENDER);
    const created = await signedJson(admin, entry.url, `/20160918/users/${admin.userId}/smtpCredentials`, {
      description: 'bench',
    });
    const login = (await created.json()) as { username: string; password: string };
    const mailer = nodemailer.createTransport({
      host: '127.0.0.1',
      port: tlsPort,
      secure: true,
      pool: true,
      maxConnections: CONNECTIONS,
      maxMessages: Infinity,
      auth: { user: login.username, pass: login.password },
      tls: { ca: readFileSync(join(dataDir, 'tls', 'ca-cert.pem'), 'utf8') },
    });
    const viaSmtp = async (from: number, count: number): Promise<number> => {
      const started = performance.now();
      await Promise.all(
        Array.from({ length: count }, (_, i) =>
          mailer.sendMail({
            envelope: { from: SENDER, to: [`load-${String(from + i)}@email-blackhole.com`] },
            raw: rawMessage(from + i),
          }),
        ),
      );
      return performance.now() - started;
    };
    await viaSmtp(0, WARMUP);
    const smtpMs = await viaSmtp(WARMUP, MEASURED);
    mailer.close();

    const offset = WARMUP + MEASURED;
    const numbers = Array.from({ length: WARMUP + MEASURED }, (_, i) => offset + i);
    const requests = await signedPosts(admin, entry.url, RAW_PATH, numbers.map(rawMessage), (i) => ({
      'content-type': 'message/rfc822',
      'compartment-id': admin.tenancyId,
      sender: SENDER,
      recipients: `load-${String(offset + i)}@email-blackhole.com`,
    }));
    await runLoad(entry.url, requests.slice(0, WARMUP), CONNECTIONS);
    const http = await runLoad(entry.url, requests.slice(WARMUP), CONNECTIONS);
    if (http.failures > 0)
      throw new Error(`${String(http.failures)} submits failed: ${http.firstFailure ?? ''}`);

    const smtpRate = (MEASURED / smtpMs) * 1000;
    const httpRate = (MEASURED / http.elapsedMs) * 1000;
    console.log(
      `SMTP ingress (implicit TLS, ${String(CONNECTIONS)} pooled nodemailer connections): ${smtpRate.toFixed(0)} msg/s`,
    );
    console.log(`submitRawEmail over HTTP (${String(CONNECTIONS)} in flight): ${httpRate.toFixed(0)} msg/s`);
    console.log(`ratio SMTP / HTTP: ${(smtpRate / httpRate).toFixed(3)}`);
  } finally {
    await entry.stop();
    removeDir(dataDir);
  }
}
