import { createClient } from '@libsql/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';
import {
  approveSender,
  bootstrappedDataDir,
  freePort,
  REGION,
  removeDir,
  rssMiB,
  signedJson,
  SUBMIT_PATH,
} from '../../bench/support';
import { signRequest } from '../../src/crypto/request-signature';
import { startFlappingSink, type SinkMode } from './flapping-sink';

// `npm run soak [-- --minutes N --drain-minutes D --rate R]`: mixed traffic on the Node entry (HTTPS and SMTP
// submits, control-plane reads and writes, feedback reports) while the relay sink flaps, the database is locked by
// another connection, and the process is killed with SIGKILL and restarted twice. Then every accepted recipient must have ended once.

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    'drain-minutes': { type: 'string', default: '15' },
    rate: { type: 'string', default: '50' },
  },
});
const RUN_MS = Number(values.minutes) * 60_000;
const DRAIN_MS = Number(values['drain-minutes']) * 60_000;
// HTTPS submits per second: as much as delivery keeps up with while the sink spends half the time failing, so
// the queue stays steady over a long run instead of growing without bound.
const SUBMITS_PER_SECOND = Number(values.rate);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SENDER = 'soak@example.com';
const FEEDBACK_SECRET = 'a-soak-feedback-secret-of-32-chars!!';
const SINK_MODES: SinkMode[] = ['accept', 'refuse', 'accept', 'defer', 'accept', 'drop', 'accept', 'stall'];
const SINK_MODE_MS = 6_000;
const LOCK_EVERY_MS = 40_000;
const LOCK_HOLD_MS = 2_000;
const KILLS_AT = [0.35, 0.7];
const MEMORY_EVERY_MS = 2_000;
// After its first tenth, a process's resident memory may wander this much above its level and still be flat.
const FLAT_RATIO = 1.3;
const REQUEST_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const problems: string[] = [];
const problem = (what: string) => {
  problems.push(what);
  console.log(`PROBLEM ${what}`);
};
const tally = new Map<string, number>();
const add = (key: string, n = 1) => tally.set(key, (tally.get(key) ?? 0) + n);

const sink = await startFlappingSink();
const { dataDir, admin } = await bootstrappedDataDir();
const [httpPort, smtpPort] = [await freePort(), await freePort()];
const env = {
  ...process.env,
  PORT: String(httpPort),
  DATA_DIR: dataDir,
  REGIONS: REGION,
  DOH_URL: 'http://127.0.0.1:1/dns-query',
  RELAY_URL: `smtps://127.0.0.1:${String(sink.port)}`,
  NODE_EXTRA_CA_CERTS: join(ROOT, 'test', 'fixtures', 'tls', 'ca.pem'),
  FEEDBACK_SECRET,
  SMTP_STARTTLS_PORT: String(smtpPort),
  SMTP_TLS_PORT: '0',
  // A killed process's claimed deliveries come back after this, not after the default ten minutes.
  DELIVERY_LEASE_SECONDS: process.env.SOAK_LEASE_SECONDS ?? '15',
  QUOTA_EMAILS_PER_DAY: '1000000000',
  QUOTA_EMAILS_PER_MINUTE: '1000000000',
};
const url = `http://127.0.0.1:${String(httpPort)}`;

// ---- the entry: started, killed with SIGKILL and started again on the same DATA_DIR and ports
interface Running {
  child: ChildProcess;
  startedAt: number;
}
const logs: { at: number; line: string }[] = [];
const memory: { at: number; segment: number; mib: number }[] = [];
let running: Running | undefined;
let segment = 0;

function startEntry(): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    let started = false;
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let at = buffered.indexOf('\n');
      while (at >= 0) {
        const line = buffered.slice(0, at);
        buffered = buffered.slice(at + 1);
        logs.push({ at: Date.now(), line });
        if (!started && line.includes('listening on http')) {
          started = true;
          resolve({ child, startedAt: Date.now() });
        }
        at = buffered.indexOf('\n');
      }
    });
    child.once('exit', (code) => {
      if (!started) reject(new Error(`the entry exited with ${String(code)} before listening`));
    });
  });
}

running = await startEntry();
await approveSender({ url }, admin, SENDER);
const madeCredential = await signedJson(admin, url, `/20160918/users/${admin.userId}/smtpCredentials`, {
  description: 'soak',
});
const credential = (await madeCredential.json()) as { username: string; password: string };
// The region's database exists once the entry has written to it.
const regionDb = createClient({ url: `file:${join(dataDir, 'regions', `${REGION}.db`)}` });
await regionDb.execute('PRAGMA busy_timeout=10000');
const countOf = async (sql: string): Promise<number> => Number((await regionDb.execute(sql)).rows[0]?.n ?? 0);

const ingressCa = readFileSync(join(dataDir, 'tls', 'ca-cert.pem'), 'utf8');

// ---- the client's count: recipients accepted, and those whose answer a kill swallowed
let accepted = 0;
let unknown = 0;
const sentMessages: { messageId: string; recipient: string }[] = [];
let n = 0;
const trafficEndsAt = Date.now() + RUN_MS;
const trafficRuns = () => Date.now() < trafficEndsAt;
const recipientsFor = (i: number): string[] => {
  const list = [`u${String(i)}@soak.example`];
  if (i % 3 === 0) list.push(`v${String(i % 50)}@soak.example`);
  if (i % 25 === 0) list.push('bounce@email-blackhole.com');
  return list;
};
/** A refused connection never reached the entry; anything else in flight may have been accepted. */
const neverSent = (error: unknown) =>
  /ECONNREFUSED/.test(String((error as { cause?: unknown }).cause ?? error));

let nextSubmitAt = Date.now();
/** Waits for the next HTTPS submit's turn, shared by the loops that submit. */
async function submitTurn(): Promise<void> {
  const turn = Math.max(Date.now(), nextSubmitAt);
  nextSubmitAt = turn + 1000 / SUBMITS_PER_SECOND;
  await sleep(turn - Date.now());
}

async function httpsSubmits(): Promise<void> {
  while (trafficRuns()) {
    await submitTurn();
    const i = n++;
    const to = recipientsFor(i);
    const body = JSON.stringify({
      sender: { compartmentId: admin.tenancyId, senderAddress: { email: SENDER } },
      recipients: { to: to.map((email) => ({ email })) },
      subject: `soak ${String(i)}`,
      bodyText: `Soak message ${String(i)}.`,
    });
    const signed = await signRequest(admin, 'POST', `${url}${SUBMIT_PATH}`, body, {}, { now: new Date() });
    try {
      const response = await fetch(signed.url, {
        ...signed,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      add(`https ${String(response.status)}`);
      if (response.status === 200) {
        accepted += to.length;
        const { messageId } = (await response.json()) as { messageId: string };
        sentMessages.push({ messageId, recipient: to[0] ?? '' });
      } else {
        const text = await response.text();
        if (response.status >= 500)
          problem(`HTTPS submit answered ${String(response.status)}: ${text.slice(0, 200)}`);
      }
    } catch (error) {
      if (neverSent(error)) add('https not connected');
      else {
        add('https no answer');
        unknown += to.length;
      }
      await sleep(200);
    }
  }
}

async function smtpSubmits(): Promise<void> {
  while (trafficRuns()) {
    const i = n++;
    const to = recipientsFor(i);
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: smtpPort,
      requireTLS: true,
      tls: { ca: ingressCa, servername: 'localhost' },
      auth: { user: credential.username, pass: credential.password },
      socketTimeout: REQUEST_TIMEOUT_MS,
    });
    try {
      const info = await transport.sendMail({
        from: SENDER,
        to,
        subject: `soak over SMTP ${String(i)}`,
        text: `Soak message ${String(i)}, over SMTP.`,
      });
      add('smtp 250');
      accepted += info.accepted.length;
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      if (code !== undefined) {
        add(`smtp ${String(code)}`);
        if (code === 451 || code === 421) {
          problem(`SMTP submit answered ${(error as Error).message.slice(0, 200)}`);
        }
      } else if (neverSent(error) || (error as { command?: string }).command === 'CONN')
        add('smtp not connected');
      else {
        add('smtp no answer');
        unknown += to.length;
      }
      await sleep(200);
    } finally {
      transport.close();
    }
  }
}

async function signedCall(method: string, path: string, body?: unknown): Promise<Response | undefined> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const signed = await signRequest(admin, method, `${url}${path}`, text, {}, { now: new Date() });
  try {
    const response = await fetch(signed.url, { ...signed, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    add(`control ${method} ${String(response.status)}`);
    if (response.status >= 500) problem(`${method} ${path} answered ${String(response.status)}`);
    return response;
  } catch {
    add(`control ${method} no answer`);
    return undefined;
  }
}

async function controlPlane(): Promise<void> {
  const C = `/${REGION}/20170907`;
  while (trafficRuns()) {
    const i = n++;
    await signedCall('GET', `${C}/senders?compartmentId=${admin.tenancyId}`);
    const added = await signedCall('POST', `${C}/suppressions`, {
      compartmentId: admin.tenancyId,
      emailAddress: `blocked${String(i)}@soak.example`,
    });
    if (added?.status === 200) {
      const { id } = (await added.json()) as { id: string };
      await signedCall('DELETE', `${C}/suppressions/${id}`);
    }
    await signedCall('GET', `${C}/suppressions?compartmentId=${admin.tenancyId}&limit=10`);
    await sleep(250);
  }
}

/** Bounce reports for messages already sent, as a relay would post them. */
async function feedback(): Promise<void> {
  while (trafficRuns()) {
    await sleep(2_000);
    const sent = sentMessages[Math.floor(Math.random() * sentMessages.length)];
    if (!sent) continue;
    const dsn = [
      'From: MAILER-DAEMON@relay.example.net',
      `To: ${SENDER}`,
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
      '',
      '--b',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; relay.example.net',
      '',
      `Final-Recipient: rfc822; ${sent.recipient}`,
      'Action: failed',
      'Status: 5.1.1',
      '',
      '--b',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: <${sent.messageId.replace(/^<|>$/g, '')}>`,
      '',
      '--b--',
      '',
    ].join('\r\n');
    try {
      const response = await fetch(`${url}/${REGION}/20220926/feedback`, {
        method: 'POST',
        headers: { authorization: `Bearer ${FEEDBACK_SECRET}`, 'content-type': 'message/rfc822' },
        body: dsn,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      add(`feedback ${String(response.status)}`);
      if (response.status >= 500) problem(`feedback answered ${String(response.status)}`);
    } catch {
      add('feedback no answer');
    }
  }
}

// ---- faults
const lockWindows: [number, number][] = [];
const killedAt: number[] = [];
// A copy the sink accepted this shortly before a kill may not have been recorded as delivered: sent again later.
// Records are written within 200 ms of the attempt (DELIVERY_LIMITS.completionDelayMs); the rest is slack.
const IN_FLIGHT_MS = 2_000;

async function flapSink(): Promise<void> {
  for (let i = 0; trafficRuns(); i++) {
    sink.mode = SINK_MODES[i % SINK_MODES.length] ?? 'accept';
    await sleep(SINK_MODE_MS);
  }
  sink.mode = 'accept';
}

async function lockDatabase(): Promise<void> {
  const locker = createClient({ url: `file:${join(dataDir, 'regions', `${REGION}.db`)}` });
  await locker.execute('PRAGMA busy_timeout=10000');
  while (trafficRuns()) {
    await sleep(LOCK_EVERY_MS);
    if (!trafficRuns()) break;
    const from = Date.now();
    const transaction = await locker.transaction('write');
    await transaction.execute("SELECT count(*) FROM deliveries WHERE state = 'QUEUED'");
    await sleep(LOCK_HOLD_MS);
    await transaction.commit();
    lockWindows.push([from, Date.now()]);
    add('fault database locked');
  }
  locker.close();
}

async function killAndRestart(): Promise<void> {
  const startedAt = Date.now();
  for (const share of KILLS_AT) {
    await sleep(Math.max(0, startedAt + RUN_MS * share - Date.now()));
    const current = running;
    if (!current) continue;
    const exited = new Promise((resolve) => current.child.once('exit', resolve));
    current.child.kill('SIGKILL');
    await exited;
    running = undefined;
    killedAt.push(Date.now());
    add('fault SIGKILL');
    segment += 1;
    running = await startEntry();
  }
}

async function sampleMemory(): Promise<void> {
  while (trafficRuns()) {
    const current = running;
    if (current?.child.pid) {
      const mib = rssMiB(current.child.pid);
      if (Number.isFinite(mib)) memory.push({ at: Date.now() - current.startedAt, segment, mib });
    }
    await sleep(MEMORY_EVERY_MS);
  }
}

console.log(`soak: ${values.minutes} minutes of traffic on ${url}, relay sink on port ${String(sink.port)}`);
const started = Date.now();
await Promise.all([
  httpsSubmits(),
  httpsSubmits(),
  smtpSubmits(),
  controlPlane(),
  feedback(),
  flapSink(),
  lockDatabase(),
  killAndRestart(),
  sampleMemory(),
]);

// ---- drain: the sink accepts everything; queued retries are brought forward so the run ends in minutes
const drainEndsAt = Date.now() + DRAIN_MS;
let queued = await countOf("SELECT count(*) AS n FROM deliveries WHERE state = 'QUEUED'");
while (queued > 0 && Date.now() < drainEndsAt) {
  await regionDb.execute({
    sql: "UPDATE deliveries SET next_attempt_at = ? WHERE state = 'QUEUED' AND next_attempt_at > ?",
    args: [Date.now(), Date.now()],
  });
  await sleep(5_000);
  queued = await countOf("SELECT count(*) AS n FROM deliveries WHERE state = 'QUEUED'");
}

// ---- the accounting
const states = new Map(
  (await regionDb.execute('SELECT state, count(*) AS n FROM deliveries GROUP BY state')).rows.map((row) => [
    row.state as string,
    Number(row.n),
  ]),
);
const state = (name: string) => states.get(name) ?? 0;
const rows = [...states.values()].reduce((sum, count) => sum + count, 0);
const ended = state('DELIVERED') + state('FAILED') + state('SUPPRESSED') + state('EXPIRED');
if (queued > 0) problem(`${String(queued)} recipients still queued after the drain`);
if (rows < accepted) problem(`${String(accepted)} recipients accepted but only ${String(rows)} rows`);
if (rows > accepted + unknown) {
  problem(
    `${String(rows)} rows for ${String(accepted)} accepted and ${String(unknown)} unanswered recipients`,
  );
}
const sinkCopies = [...sink.accepted.values()];
let twice = 0;
let inFlightAtKills = 0;
for (const [key, copies] of sink.accepted) {
  if (copies < 2) continue;
  twice += copies - 1;
  const first = sink.firstAcceptedAt.get(key) ?? 0;
  if (killedAt.some((at) => first <= at && at - first < IN_FLIGHT_MS)) inFlightAtKills += copies - 1;
  else problem(`${key} was delivered ${String(copies)} times, the first not in flight at a kill`);
}
const delivered = await countOf(
  "SELECT count(*) AS n FROM deliveries WHERE state = 'DELIVERED' AND recipient LIKE '%@soak.example'",
);
if (sinkCopies.length !== delivered) {
  problem(
    `the sink accepted ${String(sinkCopies.length)} distinct copies, ${String(delivered)} rows say DELIVERED`,
  );
}

// Resident memory: per process, its level is the highest reading of the second tenth of the run after its start;
// every later reading must stay within FLAT_RATIO of it. A restart begins a new process and a new level.
const memoryLines: string[] = [];
for (let s = 0; s <= segment; s++) {
  const samples = memory.filter((m) => m.segment === s);
  const level = Math.max(
    ...samples.filter((m) => m.at >= RUN_MS / 10 && m.at < RUN_MS / 5).map((m) => m.mib),
  );
  const later = samples.filter((m) => m.at >= RUN_MS / 5).map((m) => m.mib);
  const highest = Math.max(...later);
  memoryLines.push(
    `process ${String(s + 1)}: first ${samples[0]?.mib.toFixed(0) ?? '?'} MiB, level ${level.toFixed(0)} MiB, ` +
      `highest after ${Number.isFinite(highest) ? highest.toFixed(0) : '-'} MiB, last ${samples.at(-1)?.mib.toFixed(0) ?? '?'} MiB`,
  );
  if (Number.isFinite(level) && Number.isFinite(highest) && highest > level * FLAT_RATIO) {
    problem(
      `process ${String(s + 1)}'s resident memory grew from ${level.toFixed(0)} to ${highest.toFixed(0)} MiB`,
    );
  }
}

// Error-level log lines: only while the database was locked by the soak may one be an injected fault.
const duringLock = (at: number) => lockWindows.some(([from, to]) => at >= from && at <= to + 10_000);
for (const { at, line } of logs) {
  if (!line.includes('"level":"error"')) continue;
  if (duringLock(at)) {
    add('error logged during a database lock');
    if ((tally.get('error logged during a database lock') ?? 0) <= 2)
      console.log(`during a lock: ${line.slice(0, 400)}`);
  } else problem(`an error was logged: ${line.slice(0, 300)}`);
}

await sink.close();
const exited = new Promise((resolve) => running?.child.once('exit', resolve));
running.child.kill('SIGTERM');
await exited;
regionDb.close();
removeDir(dataDir);

console.log(
  [
    `soak: ${(RUN_MS / 60_000).toFixed(1)} min of traffic, ${((Date.now() - started) / 60_000).toFixed(1)} min in all`,
    `traffic: ${[...tally]
      .filter(([key]) => !key.startsWith('fault'))
      .sort()
      .map(([key, count]) => `${key} ×${String(count)}`)
      .join(', ')}`,
    `faults: ${[...sink.faults].map(([mode, count]) => `sink ${mode} ×${String(count)}`).join(', ')}, ${[
      ...tally,
    ]
      .filter(([key]) => key.startsWith('fault'))
      .map(([key, count]) => `${key.slice(6)} ×${String(count)}`)
      .join(', ')}`,
    `recipients: accepted ${String(accepted)} (+${String(rows - accepted)} of ${String(unknown)} whose answer a kill swallowed) = ` +
      `delivered ${String(state('DELIVERED'))} + failed ${String(state('FAILED'))} + suppressed ${String(state('SUPPRESSED'))} + ` +
      `expired ${String(state('EXPIRED'))} (${String(ended)} ended, ${String(queued)} queued)`,
    `delivered twice: ${String(twice)}, all copies in flight at a kill (accepted by the sink within ${String(IN_FLIGHT_MS / 1000)} s before it): ${String(inFlightAtKills)}`,
    ...memoryLines,
    `${String(problems.length)} problems`,
  ].join('\n'),
);
process.exit(problems.length > 0 ? 1 : 0);
