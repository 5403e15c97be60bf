import { fromBase64 } from '../../crypto/base64';
import { signingKeyOf } from '../../crypto/dkim-keys';
import type { WebCryptoKey } from '../../crypto/rsa-keys';
import { signDkim } from '../../mime/dkim-signature';
import { fieldsNamed, readRawMessage } from '../../mime/raw-message';
import { domainOf } from '../email-address';
import type { ClaimedDelivery, RegionHandle, RelayMessage, Runtime, SecretBox } from '../ports';
import type { Dkim } from './ports';
import type { ReturnPathAddresses } from './return-path-address';

/** What a copy is signed with, and the return path its envelope sender goes under; either may be absent. */
interface DomainSetup {
  signer: { dkim: Dkim; key: WebCryptoKey } | undefined;
  returnPathName: string | undefined;
}

const SETUP_TTL_MS = 60_000; // a key activated or deleted is picked up within a minute
const SETUPS_KEPT = 1_000;

/** A signing step failed: the copy is not sent unsigned; it is retried, then failed with this reason. */
export class CopyAuthenticationError extends Error {
  override name = 'CopyAuthenticationError';
}

/** The address of the first From field, whose domain DMARC aligns with. */
function fromDomain(raw: string): string | undefined {
  // The header alone: reading the whole body for one field would cost every copy its size again.
  const end = raw.indexOf('\r\n\r\n');
  const read = readRawMessage(end < 0 ? raw : raw.slice(0, end + 2));
  if (!read.ok) return undefined;
  const value = fieldsNamed(read.message, 'from')[0]?.value;
  if (value === undefined) return undefined;
  const address = /<([^<>]+)>\s*$/.exec(value)?.[1] ?? value.trim();
  return address.includes('@') ? domainOf(address) : undefined;
}

export interface CopyAuthentication {
  /** Opens the DKIM private keys sealed at rest. */
  keys: SecretBox;
  /** Names copies in return-path envelope senders; absent, copies keep the approved sender. */
  returnPaths: ReturnPathAddresses | undefined;
}

/**
 * The per-copy transform that authenticates mail from email domains: signs with the From domain's (or a
 * parent's) active DKIM, after every other change to the copy, and sends it from an address under the
 * domain's ACTIVE return path. What a domain has is looked up once a minute, not per copy.
 */
export function authenticateCopies(rt: Runtime, authentication: CopyAuthentication) {
  const setups = new Map<string, { at: number; setup: Promise<DomainSetup> }>();

  async function load(region: RegionHandle, tenancyId: string, domain: string): Promise<DomainSetup> {
    const repository = region.store.forTenancy(tenancyId).emailDomains;
    const [dkim, returnPath] = await Promise.all([
      repository.signingDkim(domain),
      authentication.returnPaths ? repository.activeReturnPath(domain) : undefined,
    ]);
    let signer: DomainSetup['signer'];
    if (dkim) {
      try {
        const pkcs8 = fromBase64(await authentication.keys.open(dkim.sealedPrivateKey));
        signer = { dkim, key: await signingKeyOf(pkcs8) };
      } catch {
        throw new CopyAuthenticationError(`the private key of DKIM ${dkim.id} could not be opened`);
      }
    }
    return { signer, returnPathName: returnPath?.name };
  }

  function setupFor(region: RegionHandle, tenancyId: string, domain: string): Promise<DomainSetup> {
    const key = `${region.id}\n${tenancyId}\n${domain}`;
    const now = rt.clock.now().getTime();
    const kept = setups.get(key);
    if (kept && now - kept.at < SETUP_TTL_MS) return kept.setup;
    const setup = load(region, tenancyId, domain);
    setups.set(key, { at: now, setup });
    // A failure is not kept: the next copy tries again.
    setup.catch(() => setups.delete(key));
    if (setups.size > SETUPS_KEPT) setups.delete(setups.keys().next().value ?? key);
    return setup;
  }

  return async (copy: RelayMessage, row: ClaimedDelivery, region: RegionHandle): Promise<RelayMessage> => {
    const domain = fromDomain(copy.raw) ?? domainOf(row.sender);
    const setup = await setupFor(region, row.tenancyId, domain);
    let out = copy;
    if (setup.returnPathName && authentication.returnPaths) {
      out = {
        ...out,
        from: await authentication.returnPaths.addressFor(region.id, row.id, setup.returnPathName),
      };
    }
    if (setup.signer) {
      const { dkim, key } = setup.signer;
      try {
        const raw = await signDkim(out.raw, {
          domain: dkim.domainName,
          selector: dkim.name,
          key,
          now: rt.clock.now(),
        });
        out = { ...out, raw };
      } catch (error) {
        throw new CopyAuthenticationError(
          `DKIM signing with ${dkim.name} failed: ${(error as Error).message}`,
        );
      }
    }
    return out;
  };
}
