import { join } from 'node:path';
import { z } from 'zod';
import { regionCatalog } from './region-catalog';
import type { RegionDescriptor, RegionId } from '../values/region';
import { ConfigError, parseWith, settingsSchema } from './settings';

/** The region of the local first path when HOME_REGION is unset: the one the README's examples use. */
export const DEFAULT_HOME_REGION = 'us-phoenix-1' as RegionId;

const nodeSchema = settingsSchema.extend({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  DATA_DIR: z.string().min(1).default('./data'),
  /** How long a delivery worker holds the rows it claimed; a crashed process's rows come back after it. */
  DELIVERY_LEASE_SECONDS: z.coerce.number().int().min(10).max(3_600).default(600),
  /** The region bootstrap's config entry names and the SMTP ingress serves unless INGRESS_REGIONS says otherwise. */
  HOME_REGION: z
    .string()
    .transform((id, ctx) => {
      const known = regionCatalog.find((region) => region.id === id);
      if (!known) ctx.addIssue({ code: 'custom', message: 'unknown region' });
      return known?.id ?? z.NEVER;
    })
    .optional(),
  /** `debug` adds the lines a first start does not need (each region's relay). */
  LOG_LEVEL: z.enum(['debug', 'info']).default('info'),
  /** Bearer token Prometheus presents to GET /metrics; generated into DATA_DIR/secrets when unset. */
  METRICS_TOKEN: z.string().min(32).optional(),
});

export type NodeSettings = z.output<typeof nodeSchema>;

/** Reads the Node entry's configuration once; only this module and the entry look at the environment. */
export function readNodeSettings(env: Record<string, string | undefined>): NodeSettings {
  return parseWith(nodeSchema, env);
}

/** HOME_REGION, which must be enabled; unset, us-phoenix-1 when enabled, else the first enabled region. */
export function homeRegion(settings: Pick<NodeSettings, 'HOME_REGION' | 'REGIONS'>): RegionId {
  const enabled = settings.REGIONS;
  if (settings.HOME_REGION !== undefined) {
    if (!enabled.includes(settings.HOME_REGION)) {
      throw new ConfigError(
        `Invalid configuration:\n  HOME_REGION: ${settings.HOME_REGION} is not enabled in REGIONS`,
      );
    }
    return settings.HOME_REGION;
  }
  const first = enabled.includes(DEFAULT_HOME_REGION) ? DEFAULT_HOME_REGION : enabled[0];
  if (first === undefined) throw new ConfigError('Invalid configuration:\n  REGIONS: no region enabled');
  return first;
}

/** A region's database: the remote libSQL URL named by its descriptor when set, else a file under DATA_DIR. */
export function regionDatabaseLocation(
  env: Record<string, string | undefined>,
  settings: NodeSettings,
  region: RegionDescriptor,
): { url: string; authToken?: string | undefined } {
  const url = env[region.bindings.libsqlUrl];
  if (url) return { url, authToken: env[region.bindings.libsqlAuthToken] };
  return { url: `file:${join(settings.DATA_DIR, 'regions', `${region.id}.db`)}` };
}

/** The identity database: LIBSQL_URL_IDENTITY (and LIBSQL_AUTH_TOKEN_IDENTITY) when set, else DATA_DIR/identity.db. */
export function identityDatabaseLocation(
  env: Record<string, string | undefined>,
  settings: NodeSettings,
): { url: string; authToken?: string | undefined } {
  const url = env.LIBSQL_URL_IDENTITY;
  if (url) return { url, authToken: env.LIBSQL_AUTH_TOKEN_IDENTITY };
  return { url: `file:${join(settings.DATA_DIR, 'identity.db')}` };
}
