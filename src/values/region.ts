/** A region's id as the catalog names it (`us-phoenix-1`); only the catalog mints one, so holding one means it is known. */
export type RegionId = string & { readonly __brand: 'RegionId' };

export const geographies = ['americas', 'asia-pacific', 'europe'] as const;
/** Where a region is: it decides the SPF include its senders publish. */
export type Geography = (typeof geographies)[number];

/** One region of the catalog (`regions/catalog.json`): data, never code. */
export interface RegionDescriptor {
  id: RegionId;
  /** The three-letter key that names its bindings (`PHX`). */
  key: string;
  realm: string;
  geography: Geography;
  /** The region's own SMTP relay. */
  smtp: { host: string; ports: number[]; tls: 'starttls' | 'implicit' };
  /** Names (never values) of the bindings and variables that hold its database, relay and secrets. */
  bindings: {
    database: string;
    libsqlUrl: string;
    libsqlAuthToken: string;
    relayUrl: string;
    /** Bearer secret of this region's report endpoint; FEEDBACK_SECRET stands in when it is unset. */
    feedbackSecret: string;
    /** Where clients submit this region's mail over SMTP, as getEmailConfiguration answers it. */
    smtpSubmitEndpoint: string;
  };
  /** Addresses the region's relay sends from; a domain whose SPF passes all of them authorizes the region. */
  outboundAddresses?: string[] | undefined;
  /** The SPF include of its geography. */
  spfInclude: string;
}
