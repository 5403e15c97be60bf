import { isValidDomain, normalizeDomain } from '../spf/domain-name';
import { invalid } from '../errors';
import type { RegionDescriptor } from '../../values/region';

const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const SELECTOR = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const SELECTOR_PREFIX_CHARS = 30; // leaves room for the region key, the date and a counter in 63

/**
 * An email domain's name as stored: A-labels (an internationalized name is converted), lower case, without
 * the root's dot; letters, digits and inner dashes in each label, at least two labels.
 */
export function emailDomainName(input: string, field = 'name'): string {
  let ascii: string;
  try {
    ascii = new URL(`http://${input.trim().replace(/\.$/, '')}`).hostname;
  } catch {
    throw invalid(field, 'must be a domain name such as mail.example.com');
  }
  const name = normalizeDomain(ascii);
  if (!isValidDomain(name) || !name.split('.').every((label) => LABEL.test(label)) || /^[\d.]+$/.test(name)) {
    throw invalid(field, 'must be a domain name such as mail.example.com');
  }
  return name;
}

/** A DKIM selector: one DNS label of letters, digits and inner dashes, stored in lower case. */
export function dkimSelector(input: string): string {
  const selector = input.toLowerCase();
  if (!SELECTOR.test(selector)) {
    throw invalid('name', 'a DKIM selector is one DNS label: letters, digits and inner dashes, at most 63');
  }
  return selector;
}

/** OCI's suggested selector shape, `<prefix>-<region key>-<yyyymmdd>`, the prefix taken from the domain. */
export function suggestedSelector(domainName: string, region: RegionDescriptor, now: Date): string {
  const prefix = (domainName.split('.')[0] ?? 'dkim').slice(0, SELECTOR_PREFIX_CHARS).replace(/-+$/, '');
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `${prefix}-${region.key.toLowerCase()}-${day}`;
}

/** Where a selector's public key is published. */
export const dkimRecordName = (selector: string, domainName: string): string =>
  `${selector}._domainkey.${domainName}`;

/** The return path OCI would suggest: `<region key>.rp.<domain>`. */
export const suggestedReturnPath = (domainName: string, region: RegionDescriptor): string =>
  `${region.key.toLowerCase()}1.rp.${domainName}`;

/** A CNAME target under the operator's delegation zone, when one is configured. */
export const delegatedName = (
  zone: string | undefined,
  name: string,
  region: RegionDescriptor,
  kind: string,
) => (zone === undefined ? undefined : `${name}.${kind}.${region.key.toLowerCase()}.${zone}`);
