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
  /** The STARTTLS listener serving this region here (Node's SMTP ingress), if any. */
  smtpListener?: SmtpListenerAddress | undefined;
  /** The operator's own answer for this region (the standalone ingress's public address, say). */
  configuredSmtpEndpoint?: string | undefined;
}

export interface SmtpListenerAddress {
  /** Undefined when the listener binds every address: clients use the host they reached the API on. */
  host: string | undefined;
  port: number;
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
    smtpSubmitEndpoint: smtpEndpoint(region.id, where),
  };
}

/**
 * Where a client submits this region's mail over SMTP, usable as it stands: the endpoint configured for the
 * region, else its host under the base domain (on the standard ports), else the listener serving the region
 * here as host:port, else the host the API was reached on (no SMTP listener serves the region here).
 */
function smtpEndpoint(region: string, where: PublicAddress): string {
  const { baseDomain, origin, smtpListener, configuredSmtpEndpoint } = where;
  if (configuredSmtpEndpoint) return configuredSmtpEndpoint;
  if (baseDomain) return `smtp.email.${region}.${baseDomain}`;
  const apiHost = new URL(origin).hostname;
  if (!smtpListener) return apiHost;
  return `${smtpListener.host ?? apiHost}:${String(smtpListener.port)}`;
}
