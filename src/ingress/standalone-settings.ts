import { z } from 'zod';
import { readIngressSettings, type IngressSettings } from './ingress-settings';
import { ConfigError, parseWith, settingsSchema } from '../config/settings';
import { FINGERPRINT_PATTERN } from '../crypto/rsa-keys';

const LOOPBACK_HTTP = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/;

/** The standalone ingress (`npm run ingress`): the remote API and the service user's key that signs for it. */
const standaloneSchema = settingsSchema
  .pick({ BASE_DOMAIN: true, SUBMIT_MAX_MESSAGE_BYTES: true, SUBMIT_MAX_RECIPIENTS: true })
  .extend({
    /** The API's base URL; plain http only on the loopback address. */
    INGRESS_API_URL: z
      .url({ protocol: /^https?$/ })
      .refine(
        (url) => url.startsWith('https:') || LOOPBACK_HTTP.test(url),
        'must be https (http only on the loopback address)',
      ),
    INGRESS_TENANCY_ID: z.string().startsWith('ocid1.tenancy.'),
    INGRESS_USER_ID: z.string().startsWith('ocid1.user.'),
    INGRESS_KEY_FINGERPRINT: z.string().regex(FINGERPRINT_PATTERN, 'must be an MD5 fingerprint'),
    /** PEM private key of the service user's API key (unencrypted); its contents are never logged. */
    INGRESS_PRIVATE_KEY_FILE: z.string().min(1),
    /** Where the local CA lives when no SMTP certificate is configured. */
    DATA_DIR: z.string().min(1).default('./data'),
  });

export type StandaloneIngressSettings = z.output<typeof standaloneSchema> & {
  smtp: IngressSettings;
  regions: string[];
};

/** The standalone ingress forwards over HTTPS, so INGRESS_REGIONS must name the regions it serves. */
export function readStandaloneIngressSettings(
  env: Record<string, string | undefined>,
): StandaloneIngressSettings {
  const smtp = readIngressSettings(env);
  const own = parseWith(standaloneSchema, env);
  if (smtp.INGRESS_REGIONS.length === 0) {
    throw new ConfigError(
      'Invalid configuration:\n  INGRESS_REGIONS: required, the regions this ingress serves',
    );
  }
  return { ...own, smtp, regions: smtp.INGRESS_REGIONS };
}
