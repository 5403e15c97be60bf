import { join } from 'node:path';
import type { RegionDescriptor } from '../config/region-catalog';
import { regionRelaySettings } from '../config/relay-settings';
import type { CaptureMailboxReader, Relay, Runtime } from '../domain/ports';
import { createNodemailerRelay } from '../relay/nodemailer-relay';
import { describeRelay, type RelayEndpoint } from '../relay/relay-url';
import { startCaptureMailbox } from './capture-mailbox';
import { loadOrCreateLocalTls } from './local-ca';

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

  let target: (region: RegionDescriptor) => { endpoint: RelayEndpoint; source: string; ca?: string };
  let mailbox: Awaited<ReturnType<typeof startCaptureMailbox>> | undefined;
  if (configured) {
    target = (region) => {
      const setting = settings.get(region.id) ?? regionRelaySettings(region, env);
      return { ...setting, ...(options.relayCa ? { ca: options.relayCa } : {}) };
    };
  } else {
    const tls = await loadOrCreateLocalTls(join(dataDir, 'tls'));
    mailbox = await startCaptureMailbox(join(dataDir, 'mailbox'), tls, runtime.clock, runtime.ids);
    const endpoint: RelayEndpoint = {
      host: '127.0.0.1',
      port: mailbox.port,
      tls: 'implicit',
      auth: undefined,
    };
    target = () => ({ endpoint, source: 'capture mailbox', ca: tls.caCert });
  }

  return {
    open(region) {
      let relay = relays.get(region.id);
      if (!relay) {
        const { endpoint, ca } = target(region);
        relay = createNodemailerRelay({ endpoint, ...(ca ? { ca } : {}) });
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
