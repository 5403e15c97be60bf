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
  { smtpIngress: true, log: () => undefined },
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

/** One generated dialogue over implicit TLS: every reply must come within HANG_MS and be an SMTP reply. */
function dialogue(lines: string[]): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: smtp!.tlsPort, ca, servername: 'localhost' });
    let buffer = '';
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
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (let at = buffer.indexOf('\r\n'); at >= 0; at = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        if (!/^[2-5]\d\d[ -]/.test(line)) fail(`SMTP: not a reply: ${JSON.stringify(line.slice(0, 120))}`);
        if (INTERNAL.test(line)) fail(`SMTP: internal detail in a reply: ${line.slice(0, 200)}`);
        if (line[3] === '-') continue;
        if (next >= lines.length) return done();
        socket.write(`${lines[next] ?? ''}\r\n`);
        next += 1;
      }
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

// ---- still standing
const health = await fetch(`${server.url}/healthz`).catch(() => undefined);
if (health?.status !== 200) fail('the service no longer answers /healthz');

console.log(
  `fuzz: ${httpCases} HTTP requests over ${perRoute.size} routes (seed ${SEED}), answered ${[...statuses]
    .sort()
    .map(([status, n]) => `${status} x${n}`)
    .join(', ')}; ${smtpCases} SMTP dialogues; ${failures.length} failures`,
);
regionDb.close();
identityDb.close();
await server.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(failures.length > 0 ? 1 : 0);
