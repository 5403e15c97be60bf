import { notFound } from '../errors';
import type { Caller, RegionHandle } from '../ports';

export interface EmailConfiguration {
  compartmentId: string;
  httpSubmitEndpoint: string;
  smtpSubmitEndpoint: string;
}

export interface PublicAddress {
  /** Deployment domain; region hosts are `<service>.email.<region>.<baseDomain>`. */
  baseDomain: string | undefined;
  /** Origin the caller reached us on, used when no base domain is configured. */
  origin: string;
}

/**
 * The region's submission endpoints; `compartmentId` is the root compartment, as OCI answers. Anyone who
 * may inspect approved senders or suppressions in the asked compartment may read them.
 */
export async function getEmailConfiguration(
  region: RegionHandle,
  caller: Caller,
  compartmentId: string,
  where: PublicAddress,
): Promise<EmailConfiguration> {
  const allowed =
    (await caller.can('inspect', 'approved-senders', compartmentId)) ||
    (await caller.can('inspect', 'suppressions', compartmentId));
  if (!allowed) throw notFound(`Compartment ${compartmentId}`);
  const { baseDomain, origin } = where;
  return {
    compartmentId: caller.tenancyId,
    httpSubmitEndpoint: baseDomain
      ? `cell0.submit.email.${region.id}.${baseDomain}`
      : `${origin}/${region.id}`,
    smtpSubmitEndpoint: baseDomain ? `smtp.email.${region.id}.${baseDomain}` : new URL(origin).hostname,
  };
}
