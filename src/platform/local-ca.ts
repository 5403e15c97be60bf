import { DAY_MS } from '../domain/durations';
import { X509Certificate, type webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as X509 from '@peculiar/x509';

/** A local CA and a server certificate it signed, for TLS between parts of one machine. */
export interface LocalTls {
  /** The CA certificate: what clients trust. */
  caCert: string;
  cert: string;
  key: string;
}

const CA_VALIDITY_DAYS = 3_650;
const LEAF_VALIDITY_DAYS = 397; // the longest validity browsers accept, a sane default everywhere
const LEAF_RENEW_BEFORE_DAYS = 30; // a start within this window of expiry issues a fresh leaf
const SERIAL_BYTES = 16;
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
/** Names the leaf is valid for: the loopback address and localhost. */
export const LOCAL_TLS_HOSTS = { ip: '127.0.0.1', dns: 'localhost' } as const;

const FILES = {
  caCert: 'ca-cert.pem',
  caKey: 'ca-key.pem',
  cert: 'server-cert.pem',
  key: 'server-key.pem',
} as const;

async function loadX509(): Promise<typeof X509> {
  await import('reflect-metadata'); // @peculiar/x509 resolves its algorithms through decorator metadata
  return import('@peculiar/x509');
}

const serialNumber = (): string =>
  Buffer.from(crypto.getRandomValues(new Uint8Array(SERIAL_BYTES)))
    .toString('hex')
    .replace(/^[89a-f]/, '0'); // positive, as RFC 5280 requires

async function privateKeyPem(x509: typeof X509, key: webcrypto.CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

const generateKeys = () => crypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);

async function createCa(x509: typeof X509, now: Date) {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: 'CN=Edge email delivery local CA',
    notBefore: now,
    notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY_MS),
    signingAlgorithm: KEY_ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await privateKeyPem(x509, keys.privateKey) };
}

async function issueLeaf(x509: typeof X509, caCertPem: string, caKeyPem: string, now: Date) {
  const caCert = new x509.X509Certificate(caCertPem);
  const caKey = await crypto.subtle.importKey(
    'pkcs8',
    x509.PemConverter.decodeFirst(caKeyPem),
    KEY_ALGORITHM,
    false,
    ['sign'],
  );
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${LOCAL_TLS_HOSTS.dns}`,
    issuer: caCert.subject,
    notBefore: now,
    notAfter: new Date(now.getTime() + LEAF_VALIDITY_DAYS * DAY_MS),
    signingAlgorithm: KEY_ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'ip', value: LOCAL_TLS_HOSTS.ip },
        { type: 'dns', value: LOCAL_TLS_HOSTS.dns },
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { cert: cert.toString('pem'), key: await privateKeyPem(x509, keys.privateKey) };
}

function leafStillGood(caPem: string, certPem: string, now: Date): boolean {
  const leaf = new X509Certificate(certPem);
  const renewAt = new Date(leaf.validTo).getTime() - LEAF_RENEW_BEFORE_DAYS * DAY_MS;
  return leaf.checkIssued(new X509Certificate(caPem)) && now.getTime() < renewAt;
}

const readIf = (path: string): string | undefined =>
  existsSync(path) ? readFileSync(path, 'utf8') : undefined;
// Keys are readable by the owner only.
const writeKey = (path: string, pem: string): void => writeFileSync(path, pem, { mode: 0o600 });

/**
 * The local CA and server certificate under `dir` (DATA_DIR/tls): created on first use, the leaf
 * re-issued near its expiry; the CA stays, so whoever trusts it keeps trusting.
 */
export async function loadOrCreateLocalTls(dir: string, now: Date = new Date()): Promise<LocalTls> {
  const path = (name: keyof typeof FILES) => join(dir, FILES[name]);
  let caCert = readIf(path('caCert'));
  let caKey = readIf(path('caKey'));
  const cert = readIf(path('cert'));
  const key = readIf(path('key'));
  if (caCert && caKey && cert && key && leafStillGood(caCert, cert, now)) return { caCert, cert, key };
  const x509 = await loadX509();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!caCert || !caKey) {
    const ca = await createCa(x509, now);
    caCert = ca.cert;
    caKey = ca.key;
    writeKey(path('caKey'), caKey);
    writeFileSync(path('caCert'), caCert);
  }
  const leaf = await issueLeaf(x509, caCert, caKey, now);
  writeKey(path('key'), leaf.key);
  writeFileSync(path('cert'), leaf.cert);
  return { caCert, cert: leaf.cert, key: leaf.key };
}
