import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IngressSettings } from './ingress-settings';
import { ConfigError } from '../config/settings';
import { loadOrCreateLocalTls } from '../platform/local-ca';
import type { IngressCertificate, TlsKeyPair } from './tls-policy';

/** A configured certificate and its key, read and checked to belong together, or a configuration error. */
function configuredPair(certFile: string, keyFile: string): TlsKeyPair {
  const fail = (problem: string) =>
    new ConfigError(`Invalid configuration:\n  SMTP_TLS_CERT_FILE, SMTP_TLS_KEY_FILE: ${problem}`);
  let pair: TlsKeyPair;
  try {
    pair = { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  } catch (error) {
    throw fail(`cannot read ${certFile} or ${keyFile}: ${(error as Error).message}`);
  }
  let matches: boolean;
  try {
    matches = new X509Certificate(pair.cert).checkPrivateKey(createPrivateKey(pair.key));
  } catch {
    throw fail(`${certFile} and ${keyFile} must be a PEM certificate and its unencrypted PEM key`);
  }
  if (!matches) throw fail(`the key in ${keyFile} does not belong to the certificate in ${certFile}`);
  return pair;
}

/** The configured certificates, or the local CA's RSA and ECDSA ones under `dataDir/tls`. */
export async function certificateOf(
  settings: IngressSettings,
  dataDir: string,
): Promise<IngressCertificate & { caFile: string | undefined }> {
  const tls12Ciphers = settings.SMTP_TLS12_CIPHERS;
  const certFiles = settings.SMTP_TLS_CERT_FILE ?? [];
  const keyFiles = settings.SMTP_TLS_KEY_FILE ?? [];
  if (certFiles.length > 0) {
    const pairs = certFiles.map((certFile, index) => configuredPair(certFile, keyFiles[index] ?? ''));
    return { pairs, tls12Ciphers, caFile: undefined };
  }
  const dir = join(dataDir, 'tls');
  const local = await loadOrCreateLocalTls(dir);
  return { pairs: [local.rsa, local], tls12Ciphers, caFile: join(dir, 'ca-cert.pem') };
}
