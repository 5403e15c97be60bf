import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, PBKDF2_ITERATIONS, verifyPassword } from '../../../src/crypto/password-hash';
import { parsePublicKey } from '../../../src/domain/identity/public-key';
import { DomainError } from '../../../src/domain/errors';

describe('parsePublicKey', () => {
  it("computes OCI's fingerprint: MD5 of the DER SubjectPublicKeyInfo, colon-separated", async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const der = publicKey.export({ type: 'spki', format: 'der' });
    const expected = createHash('md5').update(der).digest('hex').match(/../g)!.join(':');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const parsed = await parsePublicKey(pem);
    expect(parsed.fingerprint).toBe(expected);
    expect(createPublicKey(parsed.pem).export({ type: 'spki', format: 'der' })).toEqual(der);
  });

  it('refuses what is not a 2048-bit or larger RSA public key', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const privatePem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    for (const pem of [
      small.toString(),
      ec.toString(),
      privatePem,
      'hello',
      `-----BEGIN PUBLIC KEY-----\n!!\n-----END PUBLIC KEY-----`,
    ]) {
      await expect(parsePublicKey(pem)).rejects.toBeInstanceOf(DomainError);
    }
  });
});

describe('password hashes', () => {
  it('are salted PBKDF2-SHA256 with the iteration count stored, and verify only the right password', async () => {
    const stored = await hashPassword('correct horse', 'salt-one');
    expect(stored).toMatch(
      new RegExp(`^pbkdf2-sha256\\$${PBKDF2_ITERATIONS}\\$salt-one\\$[A-Za-z0-9+/]{43}=$`),
    );
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(100_000);
    expect(stored).not.toContain('correct horse');
    expect(await hashPassword('correct horse', 'salt-two')).not.toBe(stored);
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsf', stored)).toBe(false);
    expect(await verifyPassword('correct horse', stored.replace('100000', '200000'))).toBe(false);
    expect(await verifyPassword('x'.repeat(10_000), stored)).toBe(false);
  });
});
