const MAX_DOMAIN_LENGTH = 253; // RFC 1035 limit in text form, without the trailing dot
const MAX_LABEL_LENGTH = 63; // RFC 1035 section 2.3.4

/** Lower case, without the root's trailing dot. */
export function normalizeDomain(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** A multi-label name whose labels are all 1 to 63 octets, at most 253 in all (RFC 7208 section 4.3). */
export function isValidDomain(name: string): boolean {
  if (name.length === 0 || name.length > MAX_DOMAIN_LENGTH) return false;
  const labels = name.split('.');
  return labels.length >= 2 && labels.every((label) => label.length > 0 && label.length <= MAX_LABEL_LENGTH);
}

/** RFC 7208 section 7.3: an expanded name too long for DNS loses whole labels from the left. */
export function truncateFromLeft(name: string): string {
  let rest = name;
  while (rest.length > MAX_DOMAIN_LENGTH && rest.includes('.')) rest = rest.slice(rest.indexOf('.') + 1);
  return rest;
}
