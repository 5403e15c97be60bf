import {
  BODY_METHODS,
  contentDigest,
  verifiesSignature,
  type SignedParts,
} from '../../crypto/request-signature';
import { FINGERPRINT_PATTERN } from '../../crypto/rsa-keys';
import {
  parseSignatureHeader,
  SignatureHeaderError,
  type SignatureParameters,
} from '../../crypto/signature-header';
import { DomainError } from '../../domain/errors';
import { callerFor } from '../../domain/identity/access';
import type { IdentityStore } from '../../domain/identity/ports';
import { isOcidOf } from '../../domain/ocid';
import type { Runtime } from '../../domain/ports';
import type { Authenticator } from '../auth';
import { delegatedCaller, ON_BEHALF_OF } from './on-behalf-of';

const signedParts = (request: Request): SignedParts => ({
  method: request.method,
  url: new URL(request.url),
  header: (name) => request.headers.get(name) ?? undefined,
});

export const MAX_CLOCK_SKEW_MS = 5 * 60_000; // OCI refuses requests dated more than five minutes off
export const MAX_SIGNED_BODY_BYTES = 32 * 1024 * 1024; // above every route's own limit; read only once signed
const MAX_KEY_ID_LENGTH = 600; // two OCIDs and a fingerprint

/** The one answer for an unknown key or a bad signature, so neither can be told from the other. */
const KEY_OR_SIGNATURE =
  'The required information to complete authentication was not provided or was incorrect';

class Refusal extends Error {
  constructor(
    readonly reason: string,
    readonly detail: string = KEY_OR_SIGNATURE,
  ) {
    super(detail);
  }
}

function requiredHeaders(method: string): string[] {
  const always = ['(request-target)', 'host'];
  return BODY_METHODS.has(method) ? [...always, 'content-length', 'x-content-sha256'] : always;
}

function checkHeaderList(request: Request, signed: string[]): void {
  for (const name of requiredHeaders(request.method)) {
    if (!signed.includes(name)) throw new Refusal('unsigned-header', `The signature must cover ${name}`);
  }
  if (!signed.includes('x-date') && !signed.includes('date')) {
    throw new Refusal('unsigned-header', 'The signature must cover x-date or date');
  }
  for (const name of signed) {
    if (name === '(request-target)' || name === 'host') continue;
    if (request.headers.get(name) === null) {
      throw new Refusal('missing-header', `The signed header ${name} is missing from the request`);
    }
  }
}

function checkDate(request: Request, signed: string[], now: Date): void {
  const name = signed.includes('x-date') ? 'x-date' : 'date';
  const sent = Date.parse(request.headers.get(name) ?? '');
  if (Number.isNaN(sent)) throw new Refusal('bad-date', `The ${name} header is not an HTTP date`);
  if (Math.abs(now.getTime() - sent) > MAX_CLOCK_SKEW_MS) {
    throw new Refusal('clock-skew', `The ${name} header is more than 5 minutes from the server's clock`);
  }
}

function parseKeyId(keyId: string): { tenancyId: string; userId: string; fingerprint: string } {
  const [tenancyId = '', userId = '', fingerprint = '', extra] = keyId.split('/');
  if (
    keyId.length > MAX_KEY_ID_LENGTH ||
    extra !== undefined ||
    !isOcidOf(tenancyId, 'tenancy') ||
    !isOcidOf(userId, 'user') ||
    !FINGERPRINT_PATTERN.test(fingerprint)
  ) {
    throw new Refusal('bad-key-id', 'keyId must be <tenancy OCID>/<user OCID>/<key fingerprint>');
  }
  return { tenancyId, userId, fingerprint };
}

/** The body must be exactly what Content-Length and x-content-sha256 promised. */
async function checkBody(request: Request, readBody: () => Promise<ArrayBuffer>): Promise<void> {
  const declared = Number(request.headers.get('content-length'));
  if (!Number.isSafeInteger(declared) || declared < 0 || declared > MAX_SIGNED_BODY_BYTES) {
    throw new Refusal('bad-length', 'Content-Length is missing or too large');
  }
  const body = new Uint8Array(await readBody());
  if (body.byteLength !== declared) throw new Refusal('bad-length', 'Content-Length does not match the body');
  if (contentDigest(body) !== request.headers.get('x-content-sha256')) {
    throw new Refusal('bad-digest', 'x-content-sha256 does not match the body');
  }
}

/**
 * OCI request signing (draft-cavage, RSA-SHA256) against API keys in the identity store. Every failure
 * is 401 NotAuthenticated; a valid request acts as the key's user, under that user's policies.
 */
export function signatureAuthenticator(identity: IdentityStore, rt: Runtime): Authenticator {
  return async (request, readBody) => {
    try {
      const header = request.headers.get('authorization');
      if (!header) throw new Refusal('unsigned', 'The request is not signed (no Authorization header)');
      let params: SignatureParameters;
      try {
        params = parseSignatureHeader(header);
      } catch (error) {
        if (!(error instanceof SignatureHeaderError)) throw error;
        throw new Refusal('bad-header', `The Authorization header is not an OCI signature: ${error.message}`);
      }
      checkHeaderList(request, params.headers);
      checkDate(request, params.headers, rt.clock.now());
      const { tenancyId, userId, fingerprint } = parseKeyId(params.keyId);
      const key = await identity.forTenancy(tenancyId).apiKeys.find(userId, fingerprint);
      if (!key) throw new Refusal('unknown-key');
      if (!verifiesSignature(key.keyValue, params, signedParts(request))) throw new Refusal('bad-signature');
      if (BODY_METHODS.has(request.method)) await checkBody(request, readBody);
      const principal = callerFor(identity, tenancyId, userId);
      const onBehalfOf = request.headers.get(ON_BEHALF_OF);
      if (onBehalfOf === null) return principal;
      if (!params.headers.includes(ON_BEHALF_OF)) {
        throw new Refusal('unsigned-header', `The signature must cover ${ON_BEHALF_OF}`);
      }
      return await delegatedCaller(identity, principal, onBehalfOf);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      rt.logger.warn('auth.refused', { reason: error.reason });
      throw new DomainError('NotAuthenticated', error.detail);
    }
  };
}
