import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBootstrap } from '../../src/cli/bootstrap-command';
import { generateKeyPair, type KeyPair } from '../../src/crypto/rsa-keys';

export interface BootstrappedAdmin {
  tenancyId: string;
  userId: string;
  fingerprint: string;
  keys: KeyPair;
}

/** A fresh temporary DATA_DIR whose tenancy and administrator were created the way `npm run admin` does. */
export async function bootstrappedDataDir(
  prefix: string,
): Promise<{ dataDir: string; admin: BootstrappedAdmin }> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const keys = await generateKeyPair();
  const keyFile = join(dataDir, 'admin_public.pem');
  writeFileSync(keyFile, keys.publicKeyPem);
  let out = '';
  const code = await runBootstrap(
    ['--public-key', keyFile],
    { DATA_DIR: dataDir },
    {
      out: (text) => (out += text),
      err: () => undefined,
    },
  );
  if (code !== 0) throw new Error(`bootstrap exited with ${code}`);
  const result = JSON.parse(out) as { tenancyId: string; userId: string; fingerprint: string };
  return { dataDir, admin: { ...result, keys } };
}
