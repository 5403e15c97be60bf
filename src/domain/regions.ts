import type { RegionDescriptor, RegionId } from '../values/region';
import { DomainError } from './errors';
import { withEmailBlackhole } from './simulator';
import type { RegionHandle, RegionStore, Relay } from './ports';

export interface Regions {
  /** Ids of the enabled regions, in the order configured. */
  readonly enabled: readonly RegionId[];
  /** The only way to reach a region's data; unknown or disabled ids answer NotAuthorizedOrNotFound. */
  open(id: string): Promise<RegionHandle>;
}

export type OpenRegionStore = (region: RegionDescriptor) => RegionStore | Promise<RegionStore>;
/** Gives a region its relay; the entry that supplies it closes it (Node on server close, Workers per invocation). */
export type OpenRegionRelay = (region: RegionDescriptor) => Relay;

export function createRegions(
  catalog: readonly RegionDescriptor[],
  enabledIds: readonly string[],
  openStore: OpenRegionStore,
  openRelay: OpenRegionRelay,
): Regions {
  const enabled = enabledIds.flatMap((id) => catalog.filter((region) => region.id === id));
  const handles = new Map<string, Promise<RegionHandle>>();

  const openHandle = async (descriptor: RegionDescriptor): Promise<RegionHandle> => {
    const store = await openStore(descriptor);
    // email-blackhole.com is answered here on every runtime, whichever relay the entry gives.
    const relay = withEmailBlackhole(openRelay(descriptor));
    return Object.freeze({ id: descriptor.id, descriptor, store, relay });
  };

  return {
    enabled: enabled.map((region) => region.id),
    open(id) {
      const descriptor = enabled.find((region) => region.id === id);
      if (!descriptor) {
        return Promise.reject(new DomainError('NotAuthorizedOrNotFound', 'That region is not served here'));
      }
      let handle = handles.get(id);
      if (!handle) {
        handle = openHandle(descriptor);
        handles.set(id, handle);
        handle.catch(() => handles.delete(id));
      }
      return handle;
    },
  };
}
