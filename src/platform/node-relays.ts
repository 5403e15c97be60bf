import { join } from 'node:path';
import type { RegionDescriptor } from '../values/region';
import { regionRelaySettings } from '../relay/relay-settings';
import type { CaptureMailboxReader, Relay, RelayMessage, Runtime } from '../domain/ports';
import { createNodemailerRelay } from '../relay/nodemailer-relay';
import { describeRelay, type RelayEndpoint } from '../relay/relay-url';
import { CAPTURE_RELAY_USER, captureEnvelopeId, startCaptureMailbox } from './capture-mailbox';
import { loadOrCreateLocalTls } from './local-ca';

const RELAY_PASSWORD_LENGTH = 32;

export interface NodeRelays {
  /** The relay of a region, created once and kept until `close()`. */
  open(region: RegionDescriptor): Relay;
  /** Present when no relay is configured and mail goes to the local capture mailbox. */
  mailbox: CaptureMailboxReader | undefined;
  /** One line per region saying where its mail goes; credentials never appear. */
  describe(): { region: string; relay: string; source: string }[];
  close(): Promise<void>;
}

export interface NodeRelayOptions {
  /** PEM certificates a configured relay is verified against instead of Node's store (tests). */
  relayCa?: string;
}

/**
 * Node's relays: each region's RELAY_<KEY>_URL or RELAY_URL; with neither set for any enabled region,
 * every region relays into the capture mailbox under DATA_DIR/mailbox over TLS from a local CA.
 */
export async function openNodeRelays(
  env: Record<string, string | undefined>,
  dataDir: string,
  enabled: readonly RegionDescriptor[],
  runtime: Runtime,
  options: NodeRelayOptions = {},
): Promise<NodeRelays> {
  const settings = new Map(enabled.map((region) => [region.id, regionRelaySettings(region, env)]));
  const configured = [...settings.values()].some((setting) => setting.source !== 'catalog');
  const relays = new Map<string, Relay>();

  let target: (region: RegionDescriptor) => {
    endpoint: RelayEndpoint;
    source: string;
    ca?: string;
    envelopeId?: (message: RelayMessage) => string | undefined;
  };
  let mailbox: Awaited<ReturnType<typeof startCaptureMailbox>> | undefined;
  if (configured) {
    target = (region) => {
      const setting = settings.get(region.id) ?? regionRelaySettings(region, env);
      return { ...setting, ...(options.relayCa ? { ca: options.relayCa } : {}) };
    };
  } else {
    const tls = await loadOrCreateLocalTls(join(dataDir, 'tls'));
    // A fresh password per process: no other local process can file mail under a tenancy.
    const pass = runtime.ids.random(RELAY_PASSWORD_LENGTH);
    mailbox = await startCaptureMailbox(join(dataDir, 'mailbox'), tls, runtime.clock, runtime.ids, pass);
    const endpoint: RelayEndpoint = {
      host: '127.0.0.1',
      port: mailbox.port,
      tls: 'implicit',
      auth: { user: CAPTURE_RELAY_USER, pass },
    };
    target = (region) => ({
      endpoint,
      source: 'capture mailbox',
      ca: tls.caCert,
      envelopeId: (message) =>
        message.tenancyId ? captureEnvelopeId(region.id, message.tenancyId) : undefined,
    });
  }

  return {
    open(region) {
      let relay = relays.get(region.id);
      if (!relay) {
        const { endpoint, ca, envelopeId } = target(region);
        relay = createNodemailerRelay({
          endpoint,
          ...(ca ? { ca } : {}),
          ...(envelopeId ? { envelopeId } : {}),
        });
        relays.set(region.id, relay);
      }
      return relay;
    },
    mailbox: mailbox?.reader,
    describe: () =>
      enabled.map((region) => {
        const { endpoint, source } = target(region);
        return { region: region.id, relay: describeRelay(endpoint), source };
      }),
    async close() {
      await Promise.all([...relays.values()].map((relay) => relay.close()));
      relays.clear();
      await mailbox?.close();
    },
  };
}
