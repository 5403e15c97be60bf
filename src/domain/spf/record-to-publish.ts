/** The TXT record the getting-started guide's "Configure SPF" table gives for a geography's include host. */
export function spfRecordToPublish(spfInclude: string): string {
  return `v=spf1 include:${spfInclude} ~all`;
}
