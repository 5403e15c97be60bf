import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { homeRegion, identityDatabaseLocation, readNodeSettings } from '../config/node-env';
import { ADMIN_USER_NAME, bootstrapTenancy } from '../domain/identity/bootstrap';
import type { IdentityStore } from '../domain/identity/ports';
import { issueUiPassword, type UiPassword } from '../domain/identity/ui-password';
import type { Runtime } from '../domain/ports';
import { DomainError } from '../domain/errors';
import { prepareDataDir } from '../platform/data-dir';
import { openLibsql } from '../platform/libsql';
import { jsonLogger, systemRuntime } from '../platform/system';
import { createIdentityStore } from '../store/identity/identity-store';
import { openLocalD1Identity, type LocalD1 } from './local-d1-identity';

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

const USAGE =
  'usage: npm run admin -- bootstrap --public-key <pem file> [--write-config <file> [--key-file <private pem>]] [--tenancy-name <name>] [--d1 local [--persist-to <dir>]]';
const DEFAULT_PRIVATE_KEY_FILE = '~/.oci/oci_api_key.pem';

function configSnippet(
  result: { tenancyId: string; userId: string; fingerprint: string },
  region: string,
  privateKeyFile: string,
): string {
  return [
    '# An OCI config file entry for this administrator (e.g. ~/.oci/config).',
    '# key_file must name the PRIVATE key that belongs to the public key you bootstrapped with.',
    '[DEFAULT]',
    `user=${result.userId}`,
    `fingerprint=${result.fingerprint}`,
    `tenancy=${result.tenancyId}`,
    `region=${region}`,
    `key_file=${privateKeyFile}`,
    '# SDK clients: set client.endpoint to http(s)://<this host>/<region> (email) or http(s)://<this host> (identity).',
    '',
  ].join('\n');
}

/** Comment lines only, so pasting them into a config file with the entry below changes nothing. */
function consoleSignIn(tenancyId: string, issued: UiPassword): string {
  return [
    '# Console sign-in (/console/sign-in), shown only now; `npm run admin -- console-password` sets a new one.',
    `#   tenancy  ${tenancyId}`,
    `#   user     ${ADMIN_USER_NAME}`,
    `#   password ${issued.password}`,
    '',
  ].join('\n');
}

/** A console password for the administrator when it has none yet: running bootstrap again changes nothing. */
async function firstConsolePassword(
  rt: Runtime,
  identity: IdentityStore,
  tenancyId: string,
  userId: string,
): Promise<UiPassword | undefined> {
  const directory = identity.forTenancy(tenancyId);
  if (await directory.uiPasswords.find(userId)) return undefined;
  return issueUiPassword(rt, directory, userId);
}

/** `~/...` as a shell would read it, for a path given in quotes or from a script. */
function expandHome(path: string): string {
  const expanded = path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
  mkdirSync(dirname(expanded), { recursive: true, mode: 0o700 });
  return expanded;
}

async function openNodeIdentity(env: Record<string, string | undefined>): Promise<LocalD1> {
  const settings = readNodeSettings(env);
  prepareDataDir(settings.DATA_DIR);
  const { db, client } = await openLibsql(identityDatabaseLocation(env, settings));
  return { db, close: () => Promise.resolve(client.close()) };
}

/**
 * `bootstrap --public-key <pem>`: creates the tenancy, the Administrators group and the `admin` user
 * holding that key, whatever of it is missing, in DATA_DIR's identity database (or, with `--d1 local`, in
 * the local D1 database `npm run dev` uses). Prints one JSON object; on stderr, the config entry and, the
 * first time, the administrator's console password.
 */
export async function runBootstrap(
  args: string[],
  env: Record<string, string | undefined>,
  io: CommandIo,
): Promise<number> {
  let values: {
    'public-key'?: string | undefined;
    'tenancy-name'?: string | undefined;
    d1?: string | undefined;
    'persist-to'?: string | undefined;
    'write-config'?: string | undefined;
    'key-file'?: string | undefined;
  };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        'public-key': { type: 'string' },
        'tenancy-name': { type: 'string' },
        d1: { type: 'string' },
        'persist-to': { type: 'string' },
        'write-config': { type: 'string' },
        'key-file': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const keyFile = values['public-key'];
  if (!keyFile || (values.d1 !== undefined && values.d1 !== 'local')) {
    io.err(`${USAGE}\n`);
    return 2;
  }
  const settings = readNodeSettings(env);
  let publicKeyPem: string;
  try {
    publicKeyPem = readFileSync(keyFile, 'utf8');
  } catch (error) {
    io.err(`cannot read ${keyFile}: ${(error as Error).message}\n`);
    return 2;
  }
  const database =
    values.d1 === 'local' ? await openLocalD1Identity(values['persist-to']) : await openNodeIdentity(env);
  try {
    const runtime = systemRuntime(jsonLogger((line) => io.err(`${line}\n`)));
    const tenancyName = values['tenancy-name'];
    const identity = createIdentityStore(database.db);
    const result = await bootstrapTenancy(runtime, identity, {
      publicKeyPem,
      ...(tenancyName ? { tenancyName } : {}),
    });
    io.out(`${JSON.stringify(result)}\n`);
    const issued = await firstConsolePassword(runtime, identity, result.tenancyId, result.userId);
    if (issued) {
      io.err(consoleSignIn(result.tenancyId, issued));
    }
    const entry = configSnippet(result, homeRegion(settings), values['key-file'] ?? DEFAULT_PRIVATE_KEY_FILE);
    const configFile = values['write-config'];
    if (configFile === undefined) {
      io.err(entry);
    } else {
      // Never appended to: a second [DEFAULT] would break a config file the user already has.
      try {
        writeFileSync(expandHome(configFile), entry, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        io.err(
          `cannot write ${configFile}: ${(error as NodeJS.ErrnoException).code === 'EEXIST' ? 'it exists; name another file (and set OCI_CONFIG_FILE to it) or merge this entry by hand' : (error as Error).message}\n${entry}`,
        );
        return 2;
      }
      io.err(`wrote the OCI config entry for this administrator to ${configFile}\n`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    io.err(`bootstrap failed: ${error.message}\n`);
    return 2;
  } finally {
    await database.close();
  }
}

const CONSOLE_PASSWORD_USAGE = 'usage: npm run admin -- console-password [--d1 local [--persist-to <dir>]]';

/**
 * `console-password`: sets a new console password for the first tenancy's `admin` user, in DATA_DIR's
 * identity database (or the local D1 one), and prints it once as one JSON object.
 */
export async function runConsolePassword(
  args: string[],
  env: Record<string, string | undefined>,
  io: CommandIo,
): Promise<number> {
  let values: { d1?: string | undefined; 'persist-to'?: string | undefined };
  try {
    ({ values } = parseArgs({
      args,
      options: { d1: { type: 'string' }, 'persist-to': { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n${CONSOLE_PASSWORD_USAGE}\n`);
    return 2;
  }
  if (values.d1 !== undefined && values.d1 !== 'local') {
    io.err(`${CONSOLE_PASSWORD_USAGE}\n`);
    return 2;
  }
  const database =
    values.d1 === 'local' ? await openLocalD1Identity(values['persist-to']) : await openNodeIdentity(env);
  try {
    const runtime = systemRuntime(jsonLogger((line) => io.err(`${line}\n`)));
    const identity = createIdentityStore(database.db);
    const tenancy = await identity.firstTenancy();
    if (!tenancy) {
      io.err('No tenancy yet: run `npm run admin -- bootstrap --public-key <pem file>` to create one.\n');
      return 2;
    }
    const directory = identity.forTenancy(tenancy.id);
    const admin = await directory.users.findByName(ADMIN_USER_NAME);
    if (!admin) {
      io.err(`tenancy ${tenancy.id} has no user ${ADMIN_USER_NAME}: run bootstrap again to create it\n`);
      return 2;
    }
    const issued = await issueUiPassword(runtime, directory, admin.id);
    io.out(
      `${JSON.stringify({ tenancyId: tenancy.id, userName: ADMIN_USER_NAME, userId: admin.id, password: issued.password })}\n`,
    );
    io.err(
      `# Sign in at /console/sign-in as ${ADMIN_USER_NAME}; the earlier console password no longer works.\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
