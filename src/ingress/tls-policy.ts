import type { SecureContextOptions } from 'node:tls';

/** TLS 1.2 suites the ingress accepts, in OpenSSL names: forward secrecy (ECDHE) with AEAD ciphers only. */
export const APPROVED_TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
] as const;

/** Every TLS 1.3 suite is AEAD with forward secrecy; these are OpenSSL's defaults, named so nothing else slips in. */
export const TLS13_SUITES = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
] as const;

export const MIN_TLS_VERSION = 'TLSv1.2';

export interface IngressCertificate {
  cert: string;
  key: string;
}

/** The options every ingress listener uses, STARTTLS and implicit TLS alike. */
export function ingressTlsOptions(certificate: IngressCertificate): SecureContextOptions & {
  minVersion: typeof MIN_TLS_VERSION;
} {
  return {
    cert: certificate.cert,
    key: certificate.key,
    minVersion: MIN_TLS_VERSION,
    ciphers: [...TLS13_SUITES, ...APPROVED_TLS12_CIPHERS].join(':'),
    honorCipherOrder: true,
  };
}
