import { join } from 'node:path';
import { z } from 'zod';
import type { RegionDescriptor } from './region-catalog';
import { parseWith, settingsSchema } from './settings';

const nodeSchema = settingsSchema.extend({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  DATA_DIR: z.string().min(1).default('./data'),
  /** How long a delivery worker holds the rows it claimed; a crashed process's rows come back after it. */
  DELIVERY_LEASE_SECONDS: z.coerce.number().int().min(10).max(3_600).default(600),
});

export type NodeSettings = z.output<typeof nodeSchema>;

/** Reads the Node entry's configuration once; only this module and the entry look at the environment. */
export function readNodeSettings(env: Record<string, string | undefined>): NodeSettings {
  return parseWith(nodeSchema, env);
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
