import { createClient } from '@libsql/client';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { parseArgs } from 'node:util';
import { startNodeServer } from '../../src/compose/node';
import { signRequest } from '../../src/crypto/request-signature';
import { bootstrapNodeAdmin } from '../support/node-admin';
import { signedJson } from '../../bench/support';

// `npm run fuzz [-- --cases N --seed S]`: generated requests to every route and generated SMTP dialogues
// against a running Node entry. Fails on a 5xx, an internal detail in an answer, a hang over 10 s, a
// crash, or a row written by a refused request.

const { values } = parseArgs({
  options: { cases: { type: 'string', default: '300' }, seed: { type: 'string', default: '20261205' } },
});
const CASES = Number(values.cases);
const SEED = Number(values.seed);
const HANG_MS = 10_000;
const REGION = 'us-phoenix-1';
const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaafuzztenancy';
// What an answer must never show: stack traces, driver and SQL errors, source paths.
const INTERNAL = /\bat [\w.<>]+ \(|SQLITE|LibsqlError|drizzle|node_modules|\/src\/|TypeError|ReferenceError/;

const failures: string[] = [];
const fail = (what: string) => {
  failures.push(what);
  console.log(`FAIL ${what}`);
};

// Every log line: an error-level one is a failure the answers may have hidden (a 451 over SMTP, a 500).
const logged: string[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'email-fuzz-'));
const admin = await bootstrapNodeAdmin(dataDir, TENANCY);
const server = await startNodeServer(
  {
    PORT: '0',
    DATA_DIR: dataDir,
    REGIONS: REGION,
    DOH_URL: 'http://127.0.0.1:1/dns-query',
    SMTP_STARTTLS_PORT: '0',
    SMTP_TLS_PORT: '0',
    FEEDBACK_SECRET: 'a-fuzz-feedback-secret-of-32-chars!!',
  },
  { smtpIngress: true, log: (line) => logged.push(line) },
);
const smtp = server.smtp[0];
if (!smtp) throw new Error('the SMTP ingress did not start');
const ca = readFileSync(join(dataDir, 'tls', 'ca-cert.pem'), 'utf8');

// ---- rows: a refused request must write nothing
const regionDb = createClient({ url: `file:${join(dataDir, 'regions', `${REGION}.db`)}` });
const identityDb = createClient({ url: `file:${join(dataDir, 'identity.db')}` });
const COUNTED: [typeof regionDb, string][] = [
  ...[
    'senders',
    'suppressions',
    'submissions',
    'deliveries',
    'delivery_events',
    'webhook_subscriptions',
    'email_domains',
    'dkims',
    'email_return_paths',
    'work_requests',
  ].map((t): [typeof regionDb, string] => [regionDb, t]),
  ...[
    'iam_compartments',
    'iam_users',
    'iam_groups',
    'iam_memberships',
    'iam_policies',
    'iam_api_keys',
    'iam_smtp_credentials',
    'iam_ui_passwords',
  ].map((t): [typeof regionDb, string] => [identityDb, t]),
];
async function rowCounts(): Promise<string> {
  const counts: number[] = [];
  for (const [db, table] of COUNTED) {
    try {
      counts.push(Number((await db.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n ?? 0));
    } catch {
      counts.push(0); // the region's database is made on first use: no table yet, no rows
    }
  }
  return counts.join(',');
}

// ---- HTTP
const ocid = fc.oneof(
  fc.constantFrom(
    TENANCY,
    admin.userId,
    'ocid1.emailsender.oc1.us-phoenix-1.aaaa',
    'ocid1.compartment.oc1..x',
    'ocid1.emaildomain.oc1.us-phoenix-1.aaaa',
    'ocid1.emaildkim.oc1.us-phoenix-1.aaaa',
    'ocid1.emailreturnpath.oc1.us-phoenix-1.aaaa',
    'ocid1.emailworkrequest.oc1.us-phoenix-1.aaaa',
  ),
  fc.string({ maxLength: 40 }),
  fc.stringMatching(/^ocid1\.[a-z]{1,14}\.oc1\.[a-z0-9-]{0,14}\.[a-z0-9]{0,30}$/),
);
const pathSegment = ocid.map((id) => encodeURIComponent(id) || 'x');
const jsonValue = fc.jsonValue({ maxDepth: 3 });
const body = fc.oneof(
  jsonValue.map((v) => JSON.stringify(v)),
  fc
    .dictionary(
      fc.constantFrom(
        'compartmentId',
        'emailAddress',
        'name',
        'description',
        'statements',
        'type',
        'sender',
        'recipients',
        'subject',
        'bodyText',
        'userId',
        'groupId',
        'key',
        'freeformTags',
        'username',
        'password',
      ),
      fc.oneof(jsonValue, ocid),
    )
    .map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
);
const query = fc
  .dictionary(
    fc.constantFrom(
      'compartmentId',
      'limit',
      'page',
      'sortBy',
      'sortOrder',
      'lifecycleState',
      'emailAddress',
      'name',
      'domain',
      'isLockOverride',
      'compartmentIdInSubtree',
      'emailDomainId',
      'parentResourceId',
      'id',
      'status',
      'operationType',
    ),
    fc.oneof(ocid, fc.integer().map(String), fc.string({ maxLength: 20 })),
    { maxKeys: 5 },
  )
  .map((params) =>
    Object.entries(params)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&'),
  );

type Route = [method: string, path: (id: string) => string];
const C = `/${REGION}/20170907`;
const D = `/${REGION}/20220926`;
const I = '/20160918';
const routes: Route[] = [
  ['GET', () => `${C}/senders`],
  ['POST', () => `${C}/senders`],
  ['GET', (id) => `${C}/senders/${id}`],
  ['PUT', (id) => `${C}/senders/${id}`],
  ['DELETE', (id) => `${C}/senders/${id}`],
  ['GET', (id) => `${C}/senders/${id}/spf`],
  ['POST', (id) => `${C}/senders/${id}/actions/changeCompartment`],
  ['POST', (id) => `${C}/senders/${id}/actions/addLock`],
  ['POST', (id) => `${C}/senders/${id}/actions/removeLock`],
  ['GET', () => `${C}/suppressions`],
  ['POST', () => `${C}/suppressions`],
  ['GET', (id) => `${C}/suppressions/${id}`],
  ['DELETE', (id) => `${C}/suppressions/${id}`],
  ['GET', () => `${C}/configuration`],
  ['GET', () => `${C}/smtpSenderLookups`],
  ['POST', () => `${D}/actions/submitEmail`],
  ['POST', () => `${D}/actions/submitRawEmail`],
  ['GET', (id) => `${D}/messages/${id}`],
  ['GET', () => `${D}/feedbackReports`],
  ['GET', () => `${D}/deliveryEvents`],
  ['GET', () => `${D}/deliveryMetrics`],
  ['GET', () => `${C}/webhookSubscriptions`],
  ['POST', () => `${C}/webhookSubscriptions`],
  ['GET', (id) => `${C}/webhookSubscriptions/${id}`],
  ['PUT', (id) => `${C}/webhookSubscriptions/${id}`],
  ['DELETE', (id) => `${C}/webhookSubscriptions/${id}`],
  ['GET', (id) => `${C}/webhookSubscriptions/${id}/deliveries`],
  ['POST', (id) => `${C}/webhookSubscriptions/${id}/actions/sendTestEvent`],
  ['GET', () => `${C}/emailDomains`],
  ['POST', () => `${C}/emailDomains`],
  ['GET', (id) => `${C}/emailDomains/${id}`],
  ['PUT', (id) => `${C}/emailDomains/${id}`],
  ['DELETE', (id) => `${C}/emailDomains/${id}`],
  ['GET', (id) => `${C}/emailDomains/${id}/authentication`],
  ['POST', (id) => `${C}/emailDomains/${id}/actions/changeCompartment`],
  ['POST', (id) => `${C}/emailDomains/${id}/actions/addLock`],
  ['POST', (id) => `${C}/emailDomains/${id}/actions/removeLock`],
  ['GET', () => `${C}/dkims`],
  ['POST', () => `${C}/dkims`],
  ['GET', (id) => `${C}/dkims/${id}`],
  ['PUT', (id) => `${C}/dkims/${id}`],
  ['DELETE', (id) => `${C}/dkims/${id}`],
  ['GET', () => `${C}/emailReturnPaths`],
  ['POST', () => `${C}/emailReturnPaths`],
  ['GET', (id) => `${C}/emailReturnPaths/${id}`],
  ['PUT', (id) => `${C}/emailReturnPaths/${id}`],
  ['DELETE', (id) => `${C}/emailReturnPaths/${id}`],
  ['POST', (id) => `${C}/emailReturnPaths/${id}/actions/addLock`],
  ['POST', (id) => `${C}/emailReturnPaths/${id}/actions/removeLock`],
  ['GET', () => `${C}/workRequests`],
  ['GET', (id) => `${C}/workRequests/${id}`],
  ['GET', (id) => `${C}/workRequests/${id}/logs`],
  ['GET', (id) => `${C}/workRequests/${id}/errors`],
  ['GET', () => '/metrics'],
  ['GET', () => `${I}/compartments`],
  ['POST', () => `${I}/compartments`],
  ['GET', (id) => `${I}/compartments/${id}`],
  ['DELETE', (id) => `${I}/compartments/${id}`],
  ['GET', () => `${I}/users`],
  ['POST', () => `${I}/users`],
  ['GET', (id) => `${I}/users/${id}`],
  ['DELETE', (id) => `${I}/users/${id}`],
  ['GET', (id) => `${I}/users/${id}/apiKeys`],
  ['POST', (id) => `${I}/users/${id}/apiKeys`],
  ['DELETE', (id) => `${I}/users/${id}/apiKeys/${id}`],
  ['GET', (id) => `${I}/users/${id}/smtpCredentials`],
  ['POST', (id) => `${I}/users/${id}/smtpCredentials`],
  ['DELETE', (id) => `${I}/users/${id}/smtpCredentials/${id}`],
  ['POST', (id) => `${I}/users/${id}/uiPassword`],
  ['GET', () => `${I}/groups`],
  ['POST', () => `${I}/groups`],
  ['GET', (id) => `${I}/groups/${id}`],
  ['DELETE', (id) => `${I}/groups/${id}`],
  ['GET', () => `${I}/userGroupMemberships`],
  ['POST', () => `${I}/userGroupMemberships`],
  ['DELETE', (id) => `${I}/userGroupMemberships/${id}`],
  ['GET', () => `${I}/policies`],
  ['POST', () => `${I}/policies`],
  ['GET', (id) => `${I}/policies/${id}`],
  ['PUT', (id) => `${I}/policies/${id}`],
  ['DELETE', (id) => `${I}/policies/${id}`],
  ['POST', () => `${I}/smtpCredentialVerifications`],
  ['POST', () => `${D}/feedback`],
  ['GET', (id) => `/unsubscribe/${id}`],
  ['POST', (id) => `/unsubscribe/${id}`],
  ['GET', () => '/_dev/mailbox'],
];

const contentType = fc.constantFrom(
  'application/json',
  'message/rfc822',
  'text/plain',
  'application/json; charset=utf-8',
);
const request = fc.record({
  route: fc.constantFrom(...routes),
  id: pathSegment,
  query,
  body,
  contentType,
  signed: fc.boolean(),
});

const perRoute = new Map<string, number>();
const statuses = new Map<string, number>();
let httpCases = 0;
await fc
  .assert(
    fc.asyncProperty(
      request,
      async ({ route: [method, path], id, query: q, body: text, contentType: type, signed }) => {
        const url = `${server.url}${path(id)}${q ? `?${q}` : ''}`;
        const key = `${method} ${path(':id')}`;
        perRoute.set(key, (perRoute.get(key) ?? 0) + 1);
        httpCases += 1;
        const hasBody = method === 'POST' || method === 'PUT';
        const headers = {
          'content-type': type,
          authorization: 'Bearer a-fuzz-feedback-secret-of-32-chars!!',
        };
        const init = signed
          ? await signRequest(
              admin,
              method,
              url,
              hasBody ? text : undefined,
              { 'content-type': type },
              { now: new Date() },
            )
          : { method, headers, ...(hasBody ? { body: text } : {}) };
        const before = method === 'GET' ? '' : await rowCounts();
        let response: Response;
        try {
          response = await fetch(url, { ...init, signal: AbortSignal.timeout(HANG_MS) });
        } catch (error) {
          fail(`${key}: no answer within ${HANG_MS} ms (${(error as Error).name})`);
          return;
        }
        const answer = await response.text();
        statuses.set(String(response.status), (statuses.get(String(response.status)) ?? 0) + 1);
        if (response.status >= 500) fail(`${key}: ${response.status} ${answer.slice(0, 200)}`);
        if (INTERNAL.test(answer)) fail(`${key}: internal detail in the answer: ${answer.slice(0, 200)}`);
        if (response.status >= 400 && method !== 'GET' && (await rowCounts()) !== before) {
          fail(`${key}: answered ${response.status} but wrote rows`);
        }
      },
    ),
    { seed: SEED, numRuns: CASES, endOnFailure: false },
  )
  .catch((error: unknown) => fail(`http property: ${(error as Error).message.split('\n', 1)[0] ?? ''}`));

// ---- SMTP
const smtpLine = fc.oneof(
  fc.constantFrom(
    'EHLO fuzz.test',
    'HELO fuzz.test',
    'NOOP',
    'RSET',
    'QUIT',
    'STARTTLS',
    'DATA',
    'AUTH PLAIN',
    'AUTH LOGIN',
    'VRFY x',
    'HELP',
  ),
  fc.string({ maxLength: 60 }).map((s) => `MAIL FROM:<${s}>`),
  fc.string({ maxLength: 60 }).map((s) => `RCPT TO:<${s}>`),
  fc.base64String({ maxLength: 80 }).map((s) => `AUTH PLAIN ${s}`),
  fc.string({ unit: 'binary', maxLength: 120 }).map((s) => s.replace(/\r?\n/g, ' ')),
);

/** Calls `onFinal` with the last line of each whole reply; every line must be a reply and show nothing internal. */
function onReplies(socket: ReturnType<typeof connect>, onFinal: (line: string) => void): void {
  let buffer = '';
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('latin1');
    for (let at = buffer.indexOf('\r\n'); at >= 0; at = buffer.indexOf('\r\n')) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      if (!/^[2-5]\d\d[ -]/.test(line)) fail(`SMTP: not a reply: ${JSON.stringify(line.slice(0, 120))}`);
      if (INTERNAL.test(line)) fail(`SMTP: internal detail in a reply: ${line.slice(0, 200)}`);
      if (line[3] !== '-') onFinal(line);
    }
  });
}

/** One generated dialogue over implicit TLS: every reply must come within HANG_MS and be an SMTP reply. */
function dialogue(lines: string[]): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: smtp!.tlsPort, ca, servername: 'localhost' });
    let next = 0;
    const timer = setTimeout(() => {
      fail(`SMTP: no reply within ${HANG_MS} ms after ${JSON.stringify(lines.slice(0, next))}`);
      socket.destroy();
    }, HANG_MS);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    onReplies(socket, () => {
      if (next >= lines.length) return done();
      socket.write(`${lines[next] ?? ''}\r\n`);
      next += 1;
    });
    socket.on('error', done);
    socket.on('close', done);
  });
}

let smtpCases = 0;
await fc.assert(
  fc.asyncProperty(fc.array(smtpLine, { minLength: 1, maxLength: 12 }), async (lines) => {
    smtpCases += 1;
    await dialogue(lines);
  }),
  { seed: SEED, numRuns: Math.ceil(CASES / 3) },
);

// ---- SMTP past AUTH: a real credential and an approved sender, then generated envelopes and messages
async function posted(path: string, json: unknown): Promise<Record<string, unknown>> {
  const response = await signedJson(admin, server.url, path, json);
  if (!response.ok) throw new Error(`POST ${path}: ${String(response.status)} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}
const SENDER = 'fuzz@example.com';
const credential = await posted(`${I}/users/${admin.userId}/smtpCredentials`, {
  description: 'fuzz',
});
await posted(`${C}/senders`, { compartmentId: TENANCY, emailAddress: SENDER });
const authPlain = Buffer.from(`\0${String(credential.username)}\0${String(credential.password)}`).toString(
  'base64',
);

const headerName = fc.constantFrom(
  'From',
  'To',
  'Cc',
  'Subject',
  'Date',
  'Message-ID',
  'Reply-To',
  'MIME-Version',
  'Content-Type',
  'Content-Transfer-Encoding',
  'List-Unsubscribe',
  'X-Fuzz',
);
/** Text that is one of the `known` values, or any text, or any code points. */
const knownOrAny = (...known: string[]) =>
  fc.oneof(
    fc.constantFrom(...known),
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
const headerValue = knownOrAny(
  SENDER,
  `Shop <${SENDER}>`,
  'a@b.example, "Q, R" <q@r.example>',
  '=?utf-8?B?5pel5pys6Kqe?=',
  '=?iso-8859-1?Q?caf=E9?= =?utf-8?Q?',
  'multipart/mixed; boundary="b"',
  'text/plain; charset=utf-8',
  'text/html; charset=shift_jis',
  'base64',
  'quoted-printable',
  '<id@fuzz.test>',
  '',
);
const headerLine = fc.oneof(
  { arbitrary: fc.tuple(headerName, headerValue).map(([name, value]) => `${name}: ${value}`), weight: 8 },
  { arbitrary: fc.string({ maxLength: 80 }).map((text) => ` ${text}`), weight: 1 }, // a continuation, anywhere
  { arbitrary: fc.string({ unit: 'binary', maxLength: 80 }), weight: 1 }, // no colon at all
);
const messageBody = fc.oneof(
  { arbitrary: fc.string({ maxLength: 2_000 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 2_000 }), weight: 2 },
  { arbitrary: fc.nat({ max: 200_000 }).map((n) => 'x'.repeat(n)), weight: 1 }, // one huge line
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '--b\r\nContent-Type: text/plain\r\n\r\none\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>two\r\n--b--\r\n',
      '--b\r\n\r\n--b\r\n--b--',
      '.\r\n..\r\n.x\r\n',
      '5pel5pys6Kqe\r\n====\r\n',
    ),
  },
);
const smtpMail = fc.record({
  from: fc.oneof(
    { arbitrary: fc.constant(SENDER), weight: 4 },
    { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
  ),
  to: fc.array(
    fc.oneof(
      {
        arbitrary: fc.constantFrom(
          'reader@email-blackhole.com',
          'bounce@email-blackhole.com',
          'someone@example.net',
        ),
        weight: 4,
      },
      { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
    ),
    { minLength: 1, maxLength: 4 },
  ),
  // Mostly a message that could be sent, with generated fields around it; sometimes only generated ones.
  base: fc.constantFrom(true, true, true, false),
  headers: fc.array(headerLine, { maxLength: 6 }),
  newline: fc.constantFrom('\r\n', '\r\n', '\n'),
  // Mostly UTF-8; sometimes raw 8-bit bytes, which must be refused with a reason rather than mangled.
  encoding: fc.constantFrom<BufferEncoding>('utf8', 'utf8', 'utf8', 'latin1'),
  body: messageBody,
});

/** Reads whole replies off a socket: each call answers the final line of the next reply, or undefined at a hang. */
function replies(socket: ReturnType<typeof connect>) {
  const finished: string[] = [];
  let waiting: ((line: string | undefined) => void) | undefined;
  onReplies(socket, (line) => {
    if (waiting) {
      waiting(line);
      waiting = undefined;
    } else finished.push(line);
  });
  const closed = () => waiting?.('closed');
  socket.on('close', closed).on('error', closed);
  return (what: string): Promise<string | undefined> =>
    finished.length > 0
      ? Promise.resolve(finished.shift())
      : new Promise((resolve) => {
          const timer = setTimeout(() => {
            fail(`SMTP past AUTH: no reply within ${HANG_MS} ms to ${what}`);
            resolve(undefined);
          }, HANG_MS);
          waiting = (line) => {
            clearTimeout(timer);
            resolve(line);
          };
        });
}

const smtpOutcomes = new Map<string, number>();
const tally = (line: string | undefined) => {
  const code = line?.slice(0, 3) ?? 'none';
  smtpOutcomes.set(code, (smtpOutcomes.get(code) ?? 0) + 1);
};
async function mailDialogue(mail: SmtpMail): Promise<void> {
  const socket = connect({ host: '127.0.0.1', port: smtp!.tlsPort, ca, servername: 'localhost' });
  const next = replies(socket);
  const send = (line: string) => socket.write(`${line}\r\n`);
  try {
    if (!(await next('the greeting'))?.startsWith('220')) return;
    send('EHLO fuzz.test');
    await next('EHLO');
    send(`AUTH PLAIN ${authPlain}`);
    const auth = await next('AUTH');
    if (!auth?.startsWith('235')) return fail(`SMTP past AUTH: the credential was refused: ${auth ?? ''}`);
    send(`MAIL FROM:<${mail.from.replace(/[\r\n]/g, ' ')}>`);
    if (!(await next('MAIL FROM'))?.startsWith('250')) return;
    let accepted = 0;
    for (const to of mail.to) {
      send(`RCPT TO:<${to.replace(/[\r\n]/g, ' ')}>`);
      if ((await next('RCPT TO'))?.startsWith('250')) accepted += 1;
    }
    if (accepted === 0) return;
    send('DATA');
    if (!(await next('DATA'))?.startsWith('354')) return;
    const base = mail.base ? [`From: ${SENDER}`, `To: ${mail.to[0] ?? ''}`, 'Subject: fuzz'] : [];
    const head = [...base, ...mail.headers].join(mail.newline);
    const text = `${head}${mail.newline}${mail.newline}${mail.body}`;
    // Dot-stuffing after any line break, bare LF included, so no generated line ends the data early.
    const stuffed = text.replace(/(^|\n)\./g, '$1..');
    const before = await rowCounts();
    socket.write(Buffer.from(`${stuffed}\r\n.\r\n`, mail.encoding));
    const answer = await next('the end of DATA');
    tally(answer);
    if (process.env.FUZZ_VERBOSE) console.log(answer);
    if (answer && !answer.startsWith('2') && (await rowCounts()) !== before) {
      fail(`SMTP past AUTH: answered ${answer.slice(0, 80)} but wrote rows`);
    }
    send('QUIT');
  } finally {
    socket.destroy();
  }
}
type SmtpMail = {
  encoding: BufferEncoding;
  from: string;
  to: string[];
  base: boolean;
  headers: string[];
  newline: string;
  body: string;
};

let mailCases = 0;
await fc.assert(
  fc.asyncProperty(smtpMail, async (mail) => {
    mailCases += 1;
    await mailDialogue(mail);
  }),
  { seed: SEED, numRuns: Math.ceil(CASES / 3) },
);

// ---- the console: a signed-in session, generated pages, queries and forms, with and without the CSRF token
const uiPassword = await posted(`${I}/users/${admin.userId}/uiPassword`, {});
const signIn = await fetch(`${server.url}/console/sign-in`, {
  method: 'POST',
  redirect: 'manual',
  headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
  body: new URLSearchParams({ userName: 'admin', password: String(uiPassword.password) }),
});
const session = /console_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')?.[0];
if (!session) throw new Error(`console sign-in failed: ${String(signIn.status)}`);
const firstPage = await (
  await fetch(`${server.url}/console/senders`, { headers: { cookie: session } })
).text();
const csrf = /name="_csrf" value="([^"]+)"/.exec(firstPage)?.[1] ?? '';

const consoleRoutes: [string, (id: string) => string][] = [
  ['GET', () => '/console/sign-in'],
  ['POST', () => '/console/sign-in'],
  ['POST', () => '/console/sign-out'],
  ['GET', () => '/console/senders'],
  ['POST', () => '/console/senders'],
  ['POST', (id) => `/console/senders/${id}/delete`],
  ['GET', () => '/console/senders/spf'],
  ['GET', () => '/console/suppressions'],
  ['POST', () => '/console/suppressions'],
  ['POST', (id) => `/console/suppressions/${id}/delete`],
  ['GET', () => '/console/configuration'],
  ['GET', () => '/console/messages'],
  ['GET', (id) => `/console/messages/mailbox/${id}`],
  ['GET', () => '/console/compartments'],
  ['POST', () => '/console/compartments'],
  ['GET', () => '/console/users'],
  ['POST', () => '/console/users'],
  ['GET', (id) => `/console/users/${id}`],
  ['POST', (id) => `/console/users/${id}/ui-password`],
  ['POST', (id) => `/console/users/${id}/groups`],
  ['POST', (id) => `/console/users/${id}/groups/${id}/remove`],
  ['POST', (id) => `/console/users/${id}/api-keys`],
  ['POST', (id) => `/console/users/${id}/api-keys/${id}/delete`],
  ['POST', (id) => `/console/users/${id}/smtp-credentials`],
  ['POST', (id) => `/console/users/${id}/smtp-credentials/${id}/delete`],
  ['GET', () => '/console/groups'],
  ['POST', () => '/console/groups'],
  ['GET', (id) => `/console/groups/${id}`],
  ['POST', (id) => `/console/groups/${id}/members`],
  ['POST', (id) => `/console/groups/${id}/members/${id}/remove`],
  ['GET', () => '/console/policies'],
  ['POST', () => '/console/policies'],
  ['GET', (id) => `/console/policies/${id}`],
  ['POST', (id) => `/console/policies/${id}`],
  ['POST', (id) => `/console/policies/${id}/delete`],
];
const formField = knownOrAny(
  REGION,
  'us-ashburn-1',
  TENANCY,
  admin.userId,
  SENDER,
  'Administrators',
  'en',
  'ja',
  'Allow group Administrators to manage all-resources in tenancy',
  'Allow group Nobody to fly x in compartment a:b:c:d:e:f:g',
  'Allow group Administrators to use approved-senders in compartment ocid1.compartment.oc1..x\n\nAllow',
);
const consoleForm = fc.dictionary(
  fc.constantFrom(
    'region',
    'compartment',
    'name',
    'description',
    'emailAddress',
    'statements',
    'key',
    'groupId',
    'userId',
    'parentId',
    'userName',
    'password',
    'tenancy',
  ),
  formField,
  { maxKeys: 6 },
);
const consoleRequest = fc.record({
  route: fc.constantFrom(...consoleRoutes),
  id: pathSegment,
  query,
  form: consoleForm,
  token: fc.constantFrom('valid', 'valid', 'wrong', 'none'),
  cookie: fc.constantFrom('session', 'session', 'session', 'tampered', 'none'),
});
const consoleStatuses = new Map<string, number>();
let consoleCases = 0;
await fc
  .assert(
    fc.asyncProperty(consoleRequest, async ({ route: [method, path], id, query: q, form, token, cookie }) => {
      consoleCases += 1;
      const url = `${server.url}${path(id)}${q ? `?${q}` : ''}`;
      const key = `console ${method} ${path(':id')}`;
      const body = new URLSearchParams(form);
      if (token !== 'none') body.set('_csrf', token === 'valid' ? csrf : `${csrf}x`);
      const cookies = { session, tampered: `${session}x`, none: '' }[cookie];
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          redirect: 'manual',
          headers: {
            cookie: cookies,
            origin: server.url,
            'content-type': 'application/x-www-form-urlencoded',
          },
          ...(method === 'POST' ? { body } : {}),
          signal: AbortSignal.timeout(HANG_MS),
        });
      } catch (error) {
        return fail(`${key}: no answer within ${HANG_MS} ms (${(error as Error).name})`);
      }
      const answer = await response.text();
      consoleStatuses.set(String(response.status), (consoleStatuses.get(String(response.status)) ?? 0) + 1);
      if (response.status >= 500) fail(`${key}: ${String(response.status)} ${answer.slice(0, 200)}`);
      if (INTERNAL.test(answer)) fail(`${key}: internal detail in the answer: ${answer.slice(0, 200)}`);
    }),
    { seed: SEED, numRuns: CASES },
  )
  .catch((error: unknown) => fail(`console property: ${(error as Error).message.split('\n', 1)[0] ?? ''}`));

// ---- still standing
const health = await fetch(`${server.url}/healthz`).catch(() => undefined);
if (health?.status !== 200) fail('the service no longer answers /healthz');
for (const line of logged.filter((l) => l.includes('"level":"error"')))
  fail(`an error was logged: ${line.slice(0, 300)}`);

const count = (tallies: Map<string, number>) =>
  [...tallies]
    .sort()
    .map(([key, n]) => `${key} x${String(n)}`)
    .join(', ');
console.log(
  `fuzz: ${httpCases} HTTP requests over ${perRoute.size} routes (seed ${SEED}), answered ${[...statuses]
    .sort()
    .map(([status, n]) => `${status} x${n}`)
    .join(
      ', ',
    )}; ${smtpCases} SMTP dialogues; ${mailCases} SMTP mails past AUTH, end of DATA answered ${count(
    smtpOutcomes,
  )}; ${consoleCases} console requests, answered ${count(consoleStatuses)}; ${failures.length} failures`,
);
regionDb.close();
identityDb.close();
await server.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(failures.length > 0 ? 1 : 0);
