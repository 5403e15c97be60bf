import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (files, patterns, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] },
});

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      '.wrangler',
      'data',
      'migrations',
      'generated/worker-configuration.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.json', './tsconfig.worker.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
    },
  },
  // Imports point one way: http, jobs, ingress -> domain -> ports <- store, relay, platform.
  layer(
    ['src/domain/**'],
    [
      '**/http/**',
      '**/store/**',
      '**/relay/**',
      '**/platform/**',
      '**/jobs/**',
      '**/ingress/**',
      '**/dns/**',
      'dns-packet',
      'hono',
      'hono/*',
      'drizzle-orm',
      'drizzle-orm/*',
      '@libsql/*',
    ],
    'The domain depends only on its ports.',
  ),
  layer(
    ['src/dns/**'],
    [
      '**/http/**',
      '**/store/**',
      '**/relay/**',
      '**/platform/**',
      '**/jobs/**',
      '**/ingress/**',
      'hono',
      'hono/*',
    ],
    'The resolver adapter implements a port; it knows no HTTP routes or stores.',
  ),
  layer(
    ['src/store/**'],
    ['**/http/**', '**/relay/**', '**/jobs/**', '**/ingress/**', 'hono', 'hono/*'],
    'Stores implement ports; they know no HTTP.',
  ),
  layer(
    ['src/http/**'],
    ['**/store/**', '**/relay/**', '**/platform/**', 'drizzle-orm', 'drizzle-orm/*', '@libsql/*'],
    'Routes call domain verbs, never a store or relay.',
  ),
  {
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
);
