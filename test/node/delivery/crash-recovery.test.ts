import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openLibsql } from '../../../src/platform/libsql';
import { deliveries } from '../../../src/store/schema';
import { bootstrapNodeAdmin, signedFetch } from '../../support/node-admin';
import { startServerProcess } from '../../support/tsx-process';
import { closedPort } from '../../support/smtp-sink';
import { eventually, FROM, NO_RESOLVER, NODE_TENANCY, rawFrom, submitRaw } from './node-support';

const SUBMITS = 2_000;
const KILL_AFTER_ACCEPTED = 600;
const CLIENTS = 12;
const RECIPIENTS = ['ann@example.net', 'bob@example.net', 'cy@example.net', 'dee@example.net'];
const FINAL_STATES = ['DELIVERED', 'FAILED', 'SUPPRESSED', 'EXPIRED'];

let dataDir: string | undefined;
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('delivers every accepted recipient once the process killed mid-run is back, and the counts add up', async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'email-crash-'));
  const admin = await bootstrapNodeAdmin(dataDir, NODE_TENANCY);
  const port = await closedPort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    PORT: String(port),
    // Port 0 for the SMTP listeners too: the defaults may be taken by another test or a running server.
    SMTP_STARTTLS_PORT: '0',
    SMTP_TLS_PORT: '0',
    DATA_DIR: dataDir,
    REGIONS: 'us-phoenix-1',
    DOH_URL: NO_RESOLVER,
    DELIVERY_LEASE_SECONDS: '10',
    QUOTA_EMAILS_PER_MINUTE: '100000',
  };
  child = await startServerProcess(env);
  const approved = await signedFetch(admin, 'POST', `${url}/us-phoenix-1/20170907/senders`, {
    compartmentId: NODE_TENANCY,
    emailAddress: FROM,
  });
  expect(approved.status).toBe(200);

  let next = 0;
  let accepted = 0;
  let killed: Promise<void> | undefined;
  // Each submit repeats its opc-request-id until answered, so one that landed before the kill is not doubled.
  const client = async (): Promise<void> => {
    for (let i = next++; i < SUBMITS; i = next++) {
      const to = RECIPIENTS[i % RECIPIENTS.length]!;
      for (;;) {
        const response = await submitRaw(url, admin, rawFrom(`fault-${i}`, to), [to], {
          'opc-request-id': `fault-run-${i}`,
        }).catch(() => undefined);
        if (response?.status === 200) break;
        if (response) throw new Error(`submit ${i}: ${response.status} ${await response.text()}`);
        await (killed ?? new Promise((resolve) => setTimeout(resolve, 50)));
      }
      accepted += 1;
      if (accepted === KILL_AFTER_ACCEPTED && child) {
        const victim = child;
        killed = (async () => {
          const exited = new Promise((resolve) => victim.once('exit', resolve));
          victim.kill('SIGKILL');
          await exited;
          child = await startServerProcess(env);
        })();
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  expect(accepted).toBe(SUBMITS);

  const database = await openLibsql({ url: `file:${join(dataDir, 'regions', 'us-phoenix-1.db')}` });
  try {
    const rows = await eventually(async () => {
      const all = await database.db.select().from(deliveries);
      return all.length === SUBMITS && all.every((row) => FINAL_STATES.includes(row.state)) ? all : undefined;
    }, 60_000);
    const count = (state: string) => rows.filter((row) => row.state === state).length;
    expect(count('DELIVERED') + count('FAILED') + count('SUPPRESSED') + count('EXPIRED')).toBe(SUBMITS);
    expect(count('DELIVERED')).toBe(SUBMITS);
    expect(rows.every((row) => row.leaseOwner === null)).toBe(true);
  } finally {
    database.client.close();
  }

  const index = readFileSync(join(dataDir, 'mailbox', 'index.jsonl'), 'utf8')
    .trim()
    .split('\n');
  const subjects = index.map((line) => {
    const { id } = JSON.parse(line) as { id: string };
    const eml = readFileSync(join(dataDir!, 'mailbox', `${id}.eml`), 'utf8');
    return /^Subject: (fault-\d+)\r$/m.exec(eml)?.[1];
  });
  expect(new Set(subjects).size).toBe(SUBMITS);
  // Only a copy in flight at the kill may arrive twice: the relay accepted it, the row was not yet marked.
  expect(index.length - SUBMITS).toBeLessThanOrEqual(CLIENTS * 10);
  console.log(`crash run: ${SUBMITS} accepted, ${index.length} copies captured`);
}, 180_000);
