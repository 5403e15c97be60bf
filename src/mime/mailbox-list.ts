import { addressParser } from 'postal-mime';

/** The addresses of an address-list header value (groups flattened), as written. */
export function mailboxAddresses(value: string): string[] {
  return addressParser(value, { flatten: true }).flatMap((mailbox) =>
    'address' in mailbox && typeof mailbox.address === 'string' ? [mailbox.address] : [],
  );
}
