import { DAY_MS } from '../values/durations';
import { X509Certificate, type webcrypto } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as X509 from '@peculiar/x509';
import { ensureDir, PRIVATE_FILE_MODE, PUBLIC_FILE_MODE, TRAVERSABLE_DIR_MODE } from './data-dir';

export interface KeyPair {
  cert: string;
  key: string;
}

/**
 * A local CA and the server certificates it signed, for TLS between parts of one machine: an ECDSA P-256
 * leaf (`cert`, `key`) and an RSA-2048 leaf (`rsa`), served together so both families of suites negotiate.
 */
export interface LocalTls extends KeyPair {
  /** The CA certificate: what clients trust. */
  caCert: string;
  rsa: KeyPair;
}

const CA_VALIDITY_DAYS = 3_650;
const LEAF_VALIDITY_DAYS = 397; // the longest validity browsers accept, a sane default everywhere
const LEAF_RENEW_BEFORE_DAYS = 30; // a start within this window of expiry issues a fresh leaf
const SERIAL_BYTES = 16;
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const RSA_KEY_ALGORITHM = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
} as const;
/** Names the leaf is valid for: the loopback address and localhost. */
export const LOCAL_TLS_HOSTS = { ip: '127.0.0.1', dns: 'localhost' } as const;

const FILES = {
  caCert: 'ca-cert.pem',
  caKey: 'ca-key.pem',
  cert: 'server-cert.pem',
  key: 'server-key.pem',
  rsaCert: 'server-rsa-cert.pem',
  rsaKey: 'server-rsa-key.pem',
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

type LeafKind = 'ecdsa' | 'rsa';

async function issueLeaf(x509: typeof X509, caCertPem: string, caKeyPem: string, now: Date, kind: LeafKind) {
  const caCert = new x509.X509Certificate(caCertPem);
  const caKey = await crypto.subtle.importKey(
    'pkcs8',
    x509.PemConverter.decodeFirst(caKeyPem),
    KEY_ALGORITHM,
    false,
    ['sign'],
  );
  const keys =
    kind === 'rsa'
      ? await crypto.subtle.generateKey(RSA_KEY_ALGORITHM, true, ['sign', 'verify'])
      : await generateKeys();
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
      // RSA key exchange (TLS_RSA_WITH_...) encrypts the premaster secret to the RSA leaf's key.
      kind === 'rsa'
        ? new x509.KeyUsagesExtension(
            x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
            true,
          )
        : new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
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

/**
 * The local CA and server certificates under `dir` (DATA_DIR/tls): created on first use, the leaves
 * re-issued near their expiry; the CA stays, so whoever trusts it keeps trusting. The folder can be passed
 * through and the CA certificate read by any local user; keys and leaves are the owner's alone.
 */
export async function loadOrCreateLocalTls(dir: string, now: Date = new Date()): Promise<LocalTls> {
  ensureDir(dir, TRAVERSABLE_DIR_MODE);
  const path = (name: keyof typeof FILES) => join(dir, FILES[name]);
  const write = (name: keyof typeof FILES, pem: string) => {
    const mode = name === 'caCert' ? PUBLIC_FILE_MODE : PRIVATE_FILE_MODE;
    writeFileSync(path(name), pem, { mode });
  };
  let caCert = readIf(path('caCert'));
  let caKey = readIf(path('caKey'));
  let x509: typeof X509 | undefined;
  if (!caCert || !caKey) {
    x509 = await loadX509();
    const ca = await createCa(x509, now);
    caCert = ca.cert;
    caKey = ca.key;
    write('caKey', caKey);
    write('caCert', caCert);
  }
  const leaf = async (kind: LeafKind, certName: 'cert' | 'rsaCert', keyName: 'key' | 'rsaKey') => {
    const cert = readIf(path(certName));
    const key = readIf(path(keyName));
    if (cert && key && leafStillGood(caCert, cert, now)) return { cert, key };
    x509 ??= await loadX509();
    const issued = await issueLeaf(x509, caCert, caKey, now, kind);
    write(keyName, issued.key);
    write(certName, issued.cert);
    return issued;
  };
  const ecdsa = await leaf('ecdsa', 'cert', 'key');
  const rsa = await leaf('rsa', 'rsaCert', 'rsaKey');
  for (const name of Object.keys(FILES) as (keyof typeof FILES)[]) {
    chmodSync(path(name), name === 'caCert' ? PUBLIC_FILE_MODE : PRIVATE_FILE_MODE);
  }
  return { caCert, ...ecdsa, rsa };
}
