import { z } from 'zod';
import { regionCatalog } from './region-catalog';
import { parseWith } from './settings';

const port = z.coerce.number().int().min(0).max(65535);

const regionIds = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const ids = (value ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    for (const id of ids) {
      if (!regionCatalog.some((region) => region.id === id)) {
        ctx.addIssue({ code: 'custom', message: `unknown region ${id}` });
      }
    }
    return ids;
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
    INGRESS_REGIONS: regionIds,
    /** PEM files; with neither set, a certificate from the local CA under DATA_DIR/tls. */
    SMTP_TLS_CERT_FILE: z.string().min(1).optional(),
    SMTP_TLS_KEY_FILE: z.string().min(1).optional(),
  })
  .refine((s) => (s.SMTP_TLS_CERT_FILE === undefined) === (s.SMTP_TLS_KEY_FILE === undefined), {
    error: 'set SMTP_TLS_CERT_FILE and SMTP_TLS_KEY_FILE together',
    path: ['SMTP_TLS_CERT_FILE'],
  });

export type IngressSettings = z.output<typeof ingressSchema>;

/** With `PORT=0` (free ports, as tests and throwaway instances ask) the SMTP ports default to free ones too. */
export function readIngressSettings(env: Record<string, string | undefined>): IngressSettings {
  const freePorts = env.PORT === '0' ? { SMTP_STARTTLS_PORT: '0', SMTP_TLS_PORT: '0' } : {};
  return parseWith(ingressSchema, { ...freePorts, ...env });
}
