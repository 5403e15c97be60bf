import type { Ids } from './ports';

export type OcidKind =
  | 'tenancy'
  | 'compartment'
  | 'user'
  | 'group'
  | 'groupmembership'
  | 'policy'
  | 'credential'
  | 'emailsender'
  | 'emailsuppression'
  | 'emailippool'
  | 'emailwebhook'
  | 'emaildomain'
  | 'emaildkim'
  | 'emailreturnpath'
  | 'emailworkrequest';

const OCID_UNIQUE_LENGTH = 52; // after the 8-character version prefix, as OCI's own ids
const ocidPattern = /^ocid1\.([a-z0-9]+)\.(oc[0-9]+)\.([a-z0-9-]*)(?:\.[a-z0-9-]+)?\.([a-z0-9]{1,128})$/;

export function newOcid(ids: Ids, kind: OcidKind, realm: string, regionId: string): string {
  return `ocid1.${kind}.${realm}.${regionId}.amaaaaaa${ids.random(OCID_UNIQUE_LENGTH)}`;
}

export function ocidKind(value: string): string | undefined {
  return ocidPattern.exec(value)?.[1];
}

export function isOcidOf(value: string, ...kinds: OcidKind[]): boolean {
  const kind = ocidKind(value);
  return kind !== undefined && (kinds as string[]).includes(kind);
}
