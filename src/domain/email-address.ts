const MAX_ADDRESS_OCTETS = 254; // RFC 5321 path limit less the angle brackets
const MAX_LOCAL_OCTETS = 64; // RFC 5321 section 4.5.3.1.1

const atext = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const localPart = new RegExp(`^${atext}(\\.${atext})*$`);
const label = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Why `address` is not a deliverable ASCII mailbox address, or undefined when it is one. */
export function emailAddressProblem(address: string): string | undefined {
  if (/[\r\n]/.test(address)) return 'must not contain CR or LF';
  if (!/^[\x21-\x7e]+$/.test(address)) return 'must be printable ASCII without spaces';
  if (address.length > MAX_ADDRESS_OCTETS) return `must be at most ${MAX_ADDRESS_OCTETS} octets`;
  const at = address.lastIndexOf('@');
  if (at <= 0) return 'must be of the form local@domain';
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > MAX_LOCAL_OCTETS) return `local part must be at most ${MAX_LOCAL_OCTETS} octets`;
  if (!localPart.test(local)) return 'local part is not a valid dot-atom';
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => label.test(l))) return 'domain is not a valid host name';
  if (!/^[A-Za-z]/.test(labels.at(-1) ?? '')) return 'domain must end in a top-level name';
  return undefined;
}

export function normalizeAddress(address: string): string {
  return address.toLowerCase();
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
