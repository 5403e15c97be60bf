import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTsx } from '../support/tsx-process';
import { afterEach, expect, it } from 'vitest';
import { startNodeServer, type RunningServer } from '../../src/compose/node';

// SPF checks at sender creation must not leave the machine.
const NO_RESOLVER = 'http://127.0.0.1:1/dns-query';
let root: string;
let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(root, { recursive: true, force: true });
});

it("runs the README's first mail: examples/first-mail.ts, examples/send-smtp.ts, then the mailbox", async () => {
  root = mkdtempSync(join(tmpdir(), 'email-examples-'));
  const dataDir = join(root, 'data');
  const privateKey = join(root, 'oci_api_key.pem');
  const publicKey = join(root, 'oci_api_key_public.pem');
  expect(spawnSync('openssl', ['genrsa', '-out', privateKey, '2048']).status).toBe(0);
  expect(spawnSync('openssl', ['rsa', '-pubout', '-in', privateKey, '-out', publicKey]).status).toBe(0);
  // As the README has it, with this test's folder in place of ~/.oci.
  const configFile = join(root, 'oci', 'config');
  const args = ['--public-key', publicKey, '--write-config', configFile, '--key-file', privateKey];
  const bootstrap = await runTsx(['src/cli/admin.ts', 'bootstrap', ...args], { DATA_DIR: dataDir });
  expect(bootstrap.code).toBe(0);
  expect(readFileSync(configFile, 'utf8')).toContain('region=us-phoenix-1');
  const again = await runTsx(['src/cli/admin.ts', 'bootstrap', ...args], { DATA_DIR: dataDir });
  expect(again.code).toBe(2);
  expect(again.err).toContain('it exists');

  server = await startNodeServer(
    { PORT: '0', DATA_DIR: dataDir, DOH_URL: NO_RESOLVER, SMTP_STARTTLS_PORT: '0', SMTP_TLS_PORT: '0' },
    { smtpIngress: true, log: () => undefined },
  );
  const exampleDir = join(root, 'first-mail');
  const firstMail = await runTsx(['examples/first-mail.ts'], {
    OCI_CONFIG_FILE: configFile,
    EMAIL_API: server.url,
    EXAMPLE_DIR: exampleDir,
  });
  expect(firstMail.err).toBe('');
  expect(firstMail.code).toBe(0);
  const result = JSON.parse(readFileSync(join(exampleDir, 'result.json'), 'utf8')) as Record<string, unknown>;
  expect(result.suppressedRecipients).toEqual(['bob@example.net']);

  const smtp = server.smtp.find((address) => address.region === 'us-phoenix-1');
  const sendSmtp = await runTsx(['examples/send-smtp.ts'], {
    EXAMPLE_DIR: exampleDir,
    SMTP_PORT: String(smtp?.starttlsPort),
    SMTP_CA_FILE: join(dataDir, 'tls', 'ca-cert.pem'),
  });
  expect(sendSmtp.err).toBe('');
  expect(sendSmtp.out).toMatch(/^250 2\.0\.0 Ok: queued as /);

  let printed = '';
  for (let tries = 0; tries < 100 && !printed.includes('carol@example.net'); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    printed = (await runTsx(['src/cli/admin.ts', 'mailbox', '--last', '5'], { DATA_DIR: dataDir })).out;
  }
  expect(printed).toContain('RCPT TO:<alice@example.net>');
  expect(printed).toContain('Subject: Your receipt');
  expect(printed).toContain('RCPT TO:<carol@example.net>');
  expect(printed).toContain('Subject: Your receipt, over SMTP');
  expect(printed).not.toContain('bob@example.net');
}, 60_000);
