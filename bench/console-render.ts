import { signRequest } from '../src/crypto/request-signature';
import {
  approveSender,
  bootstrappedDataDir,
  percentile,
  REGION,
  removeDir,
  signedJson,
  startNodeEntry,
} from './support';

const SENDERS = 1_000;
const WARM_UP = 50;
const MEASURED = 300;
const TARGET_P50_MS = 20;

async function timed(count: number, request: () => Promise<Response>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await request();
    await response.text();
    if (response.status !== 200) throw new Error(`answered ${String(response.status)}`);
    times.push(performance.now() - started);
  }
  return times;
}

/**
 * The approved-senders page of the console, server-rendered from a compartment of 1,000 senders (a page of 25),
 * one request at a time, against the JSON list of the same page through the API in the same run.
 */
export async function consoleRender(): Promise<void> {
  const { dataDir, admin } = await bootstrappedDataDir();
  const entry = await startNodeEntry(dataDir);
  try {
    for (let i = 0; i < SENDERS; i++)
      await approveSender(entry, admin, `sender-${String(i).padStart(4, '0')}@example.com`);
    const reset = await signedJson(admin, entry.url, `/20160918/users/${admin.userId}/uiPassword`, {});
    const { password } = (await reset.json()) as { password: string };
    const signIn = await fetch(`${entry.url}/console/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ userName: 'admin', password }),
    });
    const cookie = signIn.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    if (signIn.status !== 303 || !cookie) throw new Error(`sign-in answered ${String(signIn.status)}`);

    const page = () =>
      fetch(`${entry.url}/console/senders?region=${REGION}&sort=address-asc`, { headers: { cookie } });
    const apiUrl = `${entry.url}/${REGION}/20170907/senders?compartmentId=${admin.tenancyId}&limit=25&sortBy=EMAILADDRESS`;
    const api = async () => {
      const signed = await signRequest(admin, 'GET', apiUrl, undefined, {}, { now: new Date() });
      return fetch(signed.url, signed);
    };
    await timed(WARM_UP, page);
    await timed(WARM_UP, api);
    const pageTimes = await timed(MEASURED, page);
    const apiTimes = await timed(MEASURED, api);
    const pageP50 = percentile(pageTimes, 50);
    const apiP50 = percentile(apiTimes, 50);
    console.log(
      `console-render: the approved-senders page (25 of ${SENDERS} senders), one request at a time\n` +
        `  console page p50: ${pageP50.toFixed(1)} ms, p95 ${percentile(pageTimes, 95).toFixed(1)} ms (target p50 < ${TARGET_P50_MS} ms)${pageP50 < TARGET_P50_MS ? '' : '  ABOVE TARGET'}\n` +
        `  listSenders JSON p50: ${apiP50.toFixed(1)} ms (signed, the same page)\n` +
        `  ratio ${(pageP50 / apiP50).toFixed(2)} of the API's time`,
    );
  } finally {
    await entry.stop();
    removeDir(dataDir);
  }
}
