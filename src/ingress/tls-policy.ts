import type { SecureContextOptions } from 'node:tls';

/**
 * The TLS 1.2 suites of the getting-started guide, in OpenSSL names, most preferred first. The two
 * DHE-DSS suites negotiate only with a DSA certificate, which neither the local CA nor most CAs issue.
 */
export const APPROVED_TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES256-GCM-SHA384', // TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
  'ECDHE-ECDSA-AES128-GCM-SHA256', // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
  'ECDHE-RSA-AES128-GCM-SHA256', // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
  'ECDHE-ECDSA-AES128-SHA256', // TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256
  'ECDHE-RSA-AES128-SHA256', // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256
  'DHE-RSA-AES256-SHA256', // TLS_DHE_RSA_WITH_AES_256_CBC_SHA256
  'DHE-DSS-AES256-SHA256', // TLS_DHE_DSS_WITH_AES_256_CBC_SHA256
  'DHE-DSS-AES128-SHA256', // TLS_DHE_DSS_WITH_AES_128_CBC_SHA256
  'AES256-SHA256', // TLS_RSA_WITH_AES_256_CBC_SHA256
] as const;

export type ApprovedTls12Cipher = (typeof APPROVED_TLS12_CIPHERS)[number];

/** The hardening profile: the guide's suites with forward secrecy and an AEAD cipher only. */
export const FORWARD_SECRET_AEAD_CIPHERS: readonly ApprovedTls12Cipher[] = [
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
];

/** Every TLS 1.3 suite is AEAD with forward secrecy; these are OpenSSL's defaults, named so nothing else slips in. */
export const TLS13_SUITES = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
] as const;

export const MIN_TLS_VERSION = 'TLSv1.2';

export interface TlsKeyPair {
  cert: string;
  key: string;
}

/** The listeners' certificates: one per key type (RSA, ECDSA), served together; the client's suites pick. */
export interface IngressCertificate {
  pairs: readonly TlsKeyPair[];
  /** The TLS 1.2 suites offered: the guide's list, or a subset of it. */
  tls12Ciphers: readonly ApprovedTls12Cipher[];
}

/** The options every ingress listener uses, STARTTLS and implicit TLS alike. */
export function ingressTlsOptions(certificate: IngressCertificate): SecureContextOptions & {
  minVersion: typeof MIN_TLS_VERSION;
} {
  return {
    cert: certificate.pairs.map((pair) => pair.cert),
    key: certificate.pairs.map((pair) => pair.key),
    minVersion: MIN_TLS_VERSION,
    ciphers: [...TLS13_SUITES, ...certificate.tls12Ciphers].join(':'),
    // The DHE suites need a group: OpenSSL's built-in one sized to the certificate's key.
    dhparam: 'auto',
    honorCipherOrder: true,
  };
}
