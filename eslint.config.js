import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const ENTRIES = ['**/server', '**/worker', '**/smtp-ingress', '**/cli/**'];
const DATABASE = ['drizzle-orm', 'drizzle-orm/*', '@libsql/*'];
const WEB = ['hono', 'hono/*'];

// The folders of src from the top down (docs/architecture.md); the entries stand above them all. A folder
// never imports one on its own row or above it.
const LAYERS = [
  ['compose'],
  ['http', 'ingress', 'jobs'],
  ['platform'],
  ['store', 'relay', 'dns'],
  ['config'],
  ['domain'],
  ['mime', 'crypto'],
  ['values'],
];

const ADAPTERS = ['platform', 'store', 'relay', 'dns'];

// What a folder must not reach although it stands below (`folders`) or outside the project (`packages`), and
// why its imports are bounded at all.
const RULES = {
  compose: { why: 'Compositions are built by the entries, never the other way.' },
  http: {
    folders: ADAPTERS,
    packages: DATABASE,
    why: 'Routes call domain verbs, never a store, relay or platform adapter.',
  },
  ingress: {
    folders: ['store', 'relay', 'dns'],
    packages: DATABASE,
    why: 'The SMTP ingress submits through its Submitter, never into a store or relay.',
  },
  jobs: {
    folders: ADAPTERS,
    packages: DATABASE,
    why: 'Jobs run domain verbs on the dependencies they are given.',
  },
  platform: { why: 'Platform adapters know no routes, listeners or jobs.' },
  store: { packages: WEB, why: 'Stores implement ports; they know no HTTP.' },
  relay: { packages: [...WEB, ...DATABASE], why: 'Relays implement the Relay port and nothing else.' },
  dns: {
    packages: [...WEB, ...DATABASE],
    why: 'The resolver implements a port; it knows no routes or stores.',
  },
  config: { why: 'Settings are read by the compositions and adapters, never by the domain.' },
  domain: {
    packages: [...WEB, ...DATABASE, 'dns-packet', 'node:*'],
    why: 'The domain depends only on its ports, values, crypto and MIME helpers.',
  },
  mime: { why: 'MIME helpers are pure.' },
  crypto: { why: 'Signing, hashing and keys: the one module that imports node:crypto, used by every layer.' },
  values: { why: 'Values depend on nothing of the project.' },
};

const layerRules = LAYERS.flatMap((row, index) =>
  row.map((folder) => {
    const { folders = [], packages = [], why } = RULES[folder];
    const above = LAYERS.slice(0, index + 1)
      .flat()
      .filter((f) => f !== folder);
    const banned = [...ENTRIES, ...[...above, ...folders].map((f) => `**/${f}/**`), ...packages];
    return {
      files: [`src/${folder}/**`],
      rules: { 'no-restricted-imports': ['error', { patterns: [{ group: banned, message: why }] }] },
    };
  }),
);

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
  // Imports point one way: entries -> compose -> the rows of LAYERS, each above the next.
  ...layerRules,
  {
    files: ['bench/**', 'examples/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/test/**'], message: 'Benches and examples stand on src alone.' }] },
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: { 'import-x/no-cycle': 'error' },
  },
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
