import { DomainError } from '../../domain/errors';
import { callerFor } from '../../domain/identity/access';
import { verbIncludes } from '../../domain/identity/grant-covers';
import type { IdentityStore } from '../../domain/identity/ports';
import { isOcidOf } from '../../domain/ocid';
import type { Caller, ResourceType } from '../../domain/ports';

/** Signed by a standalone SMTP ingress: the user whose SMTP credential it verified (our extension). */
export const ON_BEHALF_OF = 'opc-on-behalf-of';

/** What a delegated request may do: find and submit as an approved sender, nothing else. */
const DELEGABLE: readonly ResourceType[] = ['approved-senders'];

const refused = (): DomainError =>
  new DomainError('NotAuthorizedOrNotFound', `${ON_BEHALF_OF} not found or not authorized`);

/**
 * The caller a request signed by `principal` acts as when it names a user in `opc-on-behalf-of`. The
 * principal must hold `use smtp-ingress in tenancy`; the named user must exist in the same tenancy. Every
 * question then needs the user's own `use` grant, so a leaked ingress key can send mail but manage nothing.
 */
export async function delegatedCaller(
  identity: IdentityStore,
  principal: Caller,
  onBehalfOf: string,
): Promise<Caller> {
  const { tenancyId } = principal;
  if (!isOcidOf(onBehalfOf, 'user') || !(await principal.can('use', 'smtp-ingress', tenancyId))) {
    throw refused();
  }
  if (!(await identity.forTenancy(tenancyId).users.findById(onBehalfOf))) throw refused();
  const user = callerFor(identity, tenancyId, onBehalfOf);
  return {
    tenancyId,
    userId: onBehalfOf,
    can: async (verb, resource, compartmentId) =>
      verbIncludes('use', verb) && DELEGABLE.includes(resource) && user.can('use', resource, compartmentId),
  };
}
