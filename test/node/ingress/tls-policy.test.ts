import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVED_TLS12_CIPHERS, FORWARD_SECRET_AEAD_CIPHERS } from '../../../src/ingress/tls-policy';
import { startIngressService, type IngressService } from './ingress-world';
import { runTool } from './run-tool';

let svc: IngressService;
beforeAll(async () => {
  svc = await startIngressService();
});
afterAll(() => svc.stop());

type Listener = 'implicit' | 'starttls';

/** openssl s_client against a listener, verifying the chain against `caFile`. */
function handshake(listener: Listener, args: string[], caFile = svc.caFile, port?: number) {
  const target = port ?? (listener === 'implicit' ? svc.smtp.tlsPort : svc.smtp.starttlsPort);
  return runTool('openssl', [
    's_client',
    '-connect',
    `127.0.0.1:${target}`,
    '-servername',
    'localhost',
    '-CAfile',
    caFile,
    '-verify_return_error',
    ...(listener === 'starttls' ? ['-starttls', 'smtp'] : []),
    ...args,
  ]);
}

// The DSS suites need a DSA certificate, which the local CA does not issue.
const NEGOTIABLE = APPROVED_TLS12_CIPHERS.filter((cipher) => !cipher.includes('-DSS-'));

// The client allows old protocols (security level 0), so a refusal is the server's own.
const OLD_PROTOCOL_CLIENT = ['-cipher', 'DEFAULT@SECLEVEL=0'];

describe.each<Listener>(['implicit', 'starttls'])(
  'TLS policy on the %s listener (openssl s_client)',
  (listener) => {
    it.each([['-tls1'], ['-tls1_1']])('refuses %s with a protocol_version alert', async (version) => {
      const run = await handshake(listener, [version, ...OLD_PROTOCOL_CLIENT]);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain('alert protocol version');
    });

    it.each([
      'ECDHE-ECDSA-CHACHA20-POLY1305',
      'ECDHE-RSA-CHACHA20-POLY1305',
      'ECDHE-RSA-AES256-GCM-SHA384',
      'ECDHE-ECDSA-AES256-SHA384',
      'AES128-SHA',
      'AES128-GCM-SHA256',
      'DHE-RSA-AES128-GCM-SHA256',
    ])('refuses %s, which the guide does not list, with a handshake_failure alert', async (cipher) => {
      const run = await handshake(listener, ['-tls1_2', '-cipher', cipher]);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain('alert handshake failure');
    });

    it.each(NEGOTIABLE)('accepts the guide suite %s', async (cipher) => {
      const run = await handshake(listener, ['-tls1_2', '-cipher', cipher]);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(`Cipher is ${cipher}`);
      expect(run.stdout).toContain('Verify return code: 0 (ok)');
    });

    it('accepts TLS 1.3', async () => {
      const run = await handshake(listener, ['-tls1_3']);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/New, TLSv1\.3, Cipher is TLS_/);
    });
  },
);

describe('TLS certificate from configuration', () => {
  it('serves SMTP_TLS_CERT_FILE and SMTP_TLS_KEY_FILE instead of the local CA', async () => {
    const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/tls/${name}`, import.meta.url));
    const configured = await startIngressService({
      SMTP_TLS_CERT_FILE: fixture('sink-cert.pem'),
      SMTP_TLS_KEY_FILE: fixture('sink-key.pem'),
    });
    try {
      const port = configured.smtp.tlsPort;
      const trusted = await handshake('implicit', ['-tls1_2'], fixture('ca.pem'), port);
      expect(trusted.stdout).toContain('Verify return code: 0 (ok)');
      expect(trusted.stdout).toContain(readFileSync(fixture('sink-cert.pem'), 'utf8').split('\n')[1]);
      const local = await handshake('implicit', ['-tls1_2'], configured.caFile, port);
      expect(local.status).not.toBe(0);
    } finally {
      await configured.stop();
    }
  });

  it('offers exactly the guide suites for TLS 1.2, in OpenSSL names', () => {
    expect([...APPROVED_TLS12_CIPHERS].sort()).toEqual(
      [
        'DHE-RSA-AES256-SHA256',
        'DHE-DSS-AES256-SHA256',
        'AES256-SHA256',
        'DHE-DSS-AES128-SHA256',
        'ECDHE-ECDSA-AES128-GCM-SHA256',
        'ECDHE-ECDSA-AES256-GCM-SHA384',
        'ECDHE-RSA-AES128-GCM-SHA256',
        'ECDHE-ECDSA-AES128-SHA256',
        'ECDHE-RSA-AES128-SHA256',
      ].sort(),
    );
  });

  it('refuses a key that does not belong to its certificate, saying which files', async () => {
    const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/tls/${name}`, import.meta.url));
    await expect(
      startIngressService({
        SMTP_TLS_CERT_FILE: fixture('ca.pem'),
        SMTP_TLS_KEY_FILE: fixture('sink-key.pem'),
      }),
    ).rejects.toThrow(/does not belong to the certificate/);
  });
});

describe('SMTP_TLS12_CIPHERS=forward-secret-aead (hardening)', () => {
  it('offers only the guide suites with forward secrecy and AEAD', async () => {
    const hardened = await startIngressService({ SMTP_TLS12_CIPHERS: 'forward-secret-aead' });
    try {
      const port = hardened.smtp.tlsPort;
      for (const cipher of FORWARD_SECRET_AEAD_CIPHERS) {
        const run = await handshake('implicit', ['-tls1_2', '-cipher', cipher], hardened.caFile, port);
        expect(run.stdout).toContain(`Cipher is ${cipher}`);
      }
      for (const cipher of ['ECDHE-RSA-AES128-SHA256', 'DHE-RSA-AES256-SHA256', 'AES256-SHA256']) {
        const run = await handshake('implicit', ['-tls1_2', '-cipher', cipher], hardened.caFile, port);
        expect(run.status).not.toBe(0);
      }
      expect((await handshake('implicit', ['-tls1_3'], hardened.caFile, port)).status).toBe(0);
    } finally {
      await hardened.stop();
    }
  });

  it('refuses a suite outside the guide at start, naming it', async () => {
    await expect(startIngressService({ SMTP_TLS12_CIPHERS: 'ECDHE-RSA-CHACHA20-POLY1305' })).rejects.toThrow(
      /SMTP_TLS12_CIPHERS: ECDHE-RSA-CHACHA20-POLY1305 not in the approved list/,
    );
  });
});
