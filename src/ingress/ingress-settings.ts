import { z } from 'zod';
import { APPROVED_TLS12_CIPHERS, FORWARD_SECRET_AEAD_CIPHERS, type ApprovedTls12Cipher } from './tls-policy';
import { parseWith, regionIdList } from '../config/settings';

const port = z.coerce.number().int().min(0).max(65535);

const fileList = z
  .string()
  .min(1)
  .transform((value) =>
    value
      .split(',')
      .map((path) => path.trim())
      .filter(Boolean),
  )
  .optional();

/** `guide` (every suite of the getting-started guide), `forward-secret-aead`, or a comma list of guide suites. */
const tls12Ciphers = z
  .string()
  .default('guide')
  .transform((value, ctx): readonly ApprovedTls12Cipher[] => {
    if (value === 'guide') return APPROVED_TLS12_CIPHERS;
    if (value === 'forward-secret-aead') return FORWARD_SECRET_AEAD_CIPHERS;
    const names = value
      .split(/[,:]/)
      .map((name) => name.trim())
      .filter(Boolean);
    const approved: readonly string[] = APPROVED_TLS12_CIPHERS;
    const outside = names.filter((name) => !approved.includes(name));
    if (names.length === 0 || outside.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `${outside.length > 0 ? `${outside.join(', ')} not in the approved list` : 'empty'}: use guide, forward-secret-aead, or OpenSSL names from ${APPROVED_TLS12_CIPHERS.join(', ')}`,
      });
    }
    return names as ApprovedTls12Cipher[];
  });

/** The SMTP ingress of the Node entry: where it listens, which regions, and its certificate. */
const ingressSchema = z
  .object({
    /** `off` starts no SMTP listener. */
    SMTP_INGRESS: z.enum(['on', 'off']).default('on'),
    SMTP_HOST: z.string().min(1).default('127.0.0.1'),
    /** STARTTLS (the 587 style) and implicit TLS (the 465 style); each further region takes the next port. */
    SMTP_STARTTLS_PORT: port.default(2587),
    SMTP_TLS_PORT: port.default(2465),
    /** Regions with listeners of their own; the first enabled region when unset. */
    INGRESS_REGIONS: regionIdList,
    /** PEM files, comma lists in the same order (an RSA and an ECDSA pair, say); unset: the local CA's. */
    SMTP_TLS_CERT_FILE: fileList,
    SMTP_TLS_KEY_FILE: fileList,
    /** Sessions one client address may hold open on a listener at once (silent ones included). */
    SMTP_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000).default(20),
    /** Time from connect to a successful AUTH (TLS handshake and greeting included) before the session is cut. */
    SMTP_PRE_AUTH_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(30),
    /** Message bytes the ingress holds at once across its sessions; DATA past it answers 452 4.3.1. */
    SMTP_MAX_BYTES_IN_FLIGHT: z.coerce
      .number()
      .int()
      .min(1)
      .default(128 * 1024 * 1024),
    /**
     * Of those, the bytes kept in memory while they wait to be submitted; the rest wait in files under
     * DATA_DIR/spool. 0 writes every message to a file.
     */
    SMTP_MAX_BYTES_IN_MEMORY: z.coerce
      .number()
      .int()
      .min(0)
      .default(16 * 1024 * 1024),
    /** Narrows the TLS 1.2 suites offered; TLS 1.3 is always offered. */
    SMTP_TLS12_CIPHERS: tls12Ciphers,
  })
  .refine((s) => (s.SMTP_TLS_CERT_FILE?.length ?? 0) === (s.SMTP_TLS_KEY_FILE?.length ?? 0), {
    error:
      'set SMTP_TLS_CERT_FILE and SMTP_TLS_KEY_FILE together, with as many key files as certificate files',
    path: ['SMTP_TLS_CERT_FILE'],
  });

export type IngressSettings = z.output<typeof ingressSchema>;

/** With `PORT=0` (free ports, as tests and throwaway instances ask) the SMTP ports default to free ones too. */
export function readIngressSettings(env: Record<string, string | undefined>): IngressSettings {
  const freePorts = env.PORT === '0' ? { SMTP_STARTTLS_PORT: '0', SMTP_TLS_PORT: '0' } : {};
  return parseWith(ingressSchema, { ...freePorts, ...env });
}
