import { z } from 'zod';
import { regionCatalog } from './region-catalog';

export const DEFAULT_LOCAL_TENANCY = 'ocid1.tenancy.oc1..aaaaaaaalocaltenancy';

const regionList = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const known = regionCatalog.map((region) => region.id);
    if (value === undefined || value.trim() === '') return known;
    const ids = value
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    for (const id of ids) {
      if (!known.includes(id)) ctx.addIssue({ code: 'custom', message: `unknown region ${id}` });
    }
    return ids;
  });

const hostName = z
  .string()
  .regex(
    /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    'must be a lower-case DNS name',
  );

/** Settings both entries share, read from Node's environment or the Worker's bindings. */
export const settingsSchema = z.object({
  REGIONS: regionList,
  BASE_DOMAIN: hostName.optional(),
  SENDER_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(7),
  AUTH: z.enum(['signature', 'off']).default('signature'),
  LOCAL_TENANCY_ID: z
    .string()
    .regex(/^ocid1\.tenancy\.[a-z0-9]+\.[a-z0-9-]*\.[a-z0-9]+$/, 'must be a tenancy OCID')
    .default(DEFAULT_LOCAL_TENANCY),
});

export type Settings = z.output<typeof settingsSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseWith<S extends z.ZodType>(schema: S, source: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}
