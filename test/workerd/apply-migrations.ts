import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

for (const db of [env.DB_IDENTITY, env.DB_PHX, env.DB_IAD]) {
  await applyD1Migrations(db, env.TEST_MIGRATIONS);
}
