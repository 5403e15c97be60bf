import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { drizzle } from 'drizzle-orm/d1';
import type { Database } from '../store/database';
import { schema } from '../store/schema';

const IDENTITY_BINDING = 'DB_IDENTITY';

export interface LocalD1 {
  db: Database;
  close(): Promise<void>;
}

function wranglerBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('wrangler/package.json')), 'bin', 'wrangler.js');
}

/**
 * The identity D1 database `wrangler dev` uses (`.wrangler/state`, or `persistTo`), migrated first.
 * wrangler is a development dependency, loaded only here.
 */
export async function openLocalD1Identity(persistTo: string | undefined): Promise<LocalD1> {
  const persistArgs = persistTo ? ['--persist-to', persistTo] : [];
  const migrate = spawnSync(
    process.execPath,
    [wranglerBin(), 'd1', 'migrations', 'apply', IDENTITY_BINDING, '--local', ...persistArgs],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
      encoding: 'utf8',
    },
  );
  if (migrate.status !== 0)
    throw new Error(`applying migrations to ${IDENTITY_BINDING} failed: ${migrate.stderr}`);

  const { getPlatformProxy } = await import('wrangler');
  const proxy = await getPlatformProxy({
    persist: { path: join(persistTo ?? join('.wrangler', 'state'), 'v3') },
    remoteBindings: false,
  });
  const binding = proxy.env[IDENTITY_BINDING];
  if (!binding) throw new Error(`wrangler.toml has no ${IDENTITY_BINDING} binding`);
  return {
    db: drizzle(binding as Parameters<typeof drizzle>[0], { schema }) as unknown as Database,
    close: () => proxy.dispose(),
  };
}
