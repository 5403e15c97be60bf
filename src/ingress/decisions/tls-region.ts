import { reply, type SmtpReply } from '../smtp-reply';

export interface TlsRegionFacts {
  /** The TLS SNI name the client asked for, if any. */
  servername: string | undefined;
  /** The region the listener serves when the name picks none. */
  listenerRegion: string;
  /** Regions this ingress serves; a name picking another one is refused. */
  served: readonly string[];
  baseDomain: string | undefined;
}

export type TlsRegionVerdict = { kind: 'region'; region: string } | { kind: 'refuse'; reply: SmtpReply };

const SNI_PREFIX = 'smtp.email.';

/** The session's region: `smtp.email.<region>.<BASE_DOMAIN>` picks one, any other name keeps the listener's. */
export function regionForTls(facts: TlsRegionFacts): TlsRegionVerdict {
  const name = facts.servername?.toLowerCase();
  const suffix = facts.baseDomain === undefined ? undefined : `.${facts.baseDomain}`;
  if (!name || !suffix || !name.startsWith(SNI_PREFIX) || !name.endsWith(suffix)) {
    return { kind: 'region', region: facts.listenerRegion };
  }
  const region = name.slice(SNI_PREFIX.length, name.length - suffix.length);
  if (facts.served.includes(region)) return { kind: 'region', region };
  return {
    kind: 'refuse',
    reply: reply(554, '5.7.0', `Region ${region.slice(0, 64)} is not served by this SMTP endpoint`),
  };
}
