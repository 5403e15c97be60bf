import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

process.env.WRANGLER_SEND_METRICS = 'false';
process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
// workerd verifies TLS; miniflare reads this once when it loads, hence the dynamic import below.
process.env.NODE_EXTRA_CA_CERTS = fileURLToPath(new URL('./test/fixtures/tls/ca.pem', import.meta.url));
const { cloudflareTest, readD1Migrations } = await import('@cloudflare/vitest-pool-workers');

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/node/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            main: './src/worker.ts',
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations('./migrations'),
                // Tests never reach a public resolver: SPF checks fail fast unless a test starts its own.
                DOH_URL: 'http://127.0.0.1:1/dns-query',
                // Nor a public relay: delivery a submit triggers fails fast unless a test names its own sink.
                RELAY_URL: 'smtps://127.0.0.1:1',
                // Seals webhook signing secrets in D1, as a Worker secret does in production.
                SECRETS_KEY: 'the-workerd-tests-secrets-key-of-32+chars',
              },
            },
          })),
        ],
        test: {
          name: 'workerd',
          include: ['test/workerd/**/*.test.ts'],
          setupFiles: ['./test/workerd/apply-migrations.ts'],
          globalSetup: ['./test/support/sink-global-setup.ts', './test/support/doh-global-setup.ts'],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
