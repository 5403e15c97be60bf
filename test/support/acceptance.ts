import type { Acceptance, NewDelivery } from '../../src/domain/submission/ports';

let serial = 0;

export interface AcceptanceOptions {
  compartmentId: string;
  now: Date;
  requestKey?: string;
  /** The per-minute quota limit charged. */
  limit?: number;
  message?: string;
  state?: NewDelivery['state'];
}

/** An acceptance as the domain hands it to the store: one recipient row per address, a minute's quota. */
export function acceptance(recipients: string[], options: AcceptanceOptions): Acceptance {
  serial += 1;
  const { now, state = 'QUEUED' } = options;
  const id = `env${String(serial).padStart(6, '0')}`;
  const minute = now.getTime() - (now.getTime() % 60_000);
  return {
    submission: {
      id,
      requestKey: options.requestKey ?? null,
      contentHash: `hash${String(serial)}`,
      messageId: `${id}@example.com`,
      sender: 'app@example.com',
      compartmentId: options.compartmentId,
      response: { messageId: `${id}@example.com`, envelopeId: id },
      timeCreated: now,
      sizeBytes: 10,
    },
    message: [options.message ?? `Subject: ${id}\r\n\r\nHello\r\n`],
    deliveries: recipients.map((recipient, i) => ({
      id: `${id}d${String(i)}`,
      recipient,
      state,
      nextAttemptAt: state === 'QUEUED' ? now : null,
      giveUpAt: new Date(now.getTime() + 3_600_000),
      lastDetail: null,
      timeFinal: state === 'QUEUED' ? null : now,
    })),
    quota: [
      { window: 'minute', windowStart: minute, amount: recipients.length, limit: options.limit ?? 1_000 },
    ],
    suppressedHit: [],
    events: [],
  };
}
