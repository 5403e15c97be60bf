import { readPublicKey, type PublicKey } from '../../crypto/rsa-keys';
import { invalid } from '../errors';

/** Checks an uploaded API key: a PEM RSA public key of at least 2048 bits, or InvalidParameter on `key`. */
export async function parsePublicKey(pem: string): Promise<PublicKey> {
  const read = await readPublicKey(pem);
  if ('problem' in read) throw invalid('key', read.problem);
  return read;
}
