/** The TXT record the getting-started guide's "Configure SPF" table gives for a geography's include host. */
export function spfRecordToPublish(spfInclude: string): string {
  return `v=spf1 include:${spfInclude} ~all`;
}

/** One record for mail relayed from any commercial region: every geography's include host. */
export function spfRecordForEveryRegion(spfIncludes: readonly string[]): string {
  return `v=spf1 ${[...new Set(spfIncludes)].map((host) => `include:${host}`).join(' ')} ~all`;
}
