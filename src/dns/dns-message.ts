import { Buffer } from 'node:buffer';
import { decode, encode, RECURSION_DESIRED, type Answer, type DecodedPacket } from 'dns-packet';
import type { DnsLookup, DnsRecordData, DnsRecordType } from '../domain/ports';

/** A decoded answer with how long it may be cached. */
export interface DnsAnswer<T extends DnsRecordType> {
  lookup: DnsLookup<T>;
  ttlSeconds: number;
}

const MAX_CNAME_HOPS = 8; // resolvers flatten chains; a longer one in one answer is not worth following
const DEFAULT_NEGATIVE_TTL_SECONDS = 60; // for NXDOMAIN or NODATA without the SOA that sets it (RFC 2308)
const RCODE_MASK = 0x0f;
const NOERROR = 0;
const NXDOMAIN = 3;

const temperror = <T extends DnsRecordType>(reason: string): DnsAnswer<T> => ({
  lookup: { kind: 'temperror', reason },
  ttlSeconds: 0,
});

/** RFC 8484 section 4.1: id 0 keeps identical queries cacheable by HTTP caches. */
export function encodeQuery(name: string, type: DnsRecordType): Uint8Array {
  return encode({ type: 'query', id: 0, flags: RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] });
}

/** Character-strings of one TXT record joined without spaces (RFC 7208 section 3.3), read as Latin-1. */
function txtText(data: unknown): string {
  const parts = Array.isArray(data) ? (data as unknown[]) : [data];
  return parts
    .map((part) => (typeof part === 'string' ? part : String.fromCharCode(...(part as Uint8Array))))
    .join('');
}

function dataOf<T extends DnsRecordType>(answer: Answer, type: T): DnsRecordData[T] | undefined {
  if (answer.type !== type || !('data' in answer)) return undefined;
  switch (answer.type) {
    case 'A':
    case 'AAAA':
      return answer.data as DnsRecordData[T];
    case 'MX':
      return { preference: answer.data.preference ?? 0, exchange: answer.data.exchange } as DnsRecordData[T];
    case 'TXT':
      return txtText(answer.data) as DnsRecordData[T];
    case 'PTR':
      return answer.data as DnsRecordData[T];
    default:
      return undefined;
  }
}

const sameName = (a: string, b: string): boolean =>
  a.toLowerCase().replace(/\.$/, '') === b.toLowerCase().replace(/\.$/, '');

function negativeTtl(packet: DecodedPacket): number {
  for (const record of packet.authorities ?? []) {
    if (record.type === 'SOA') return Math.min(record.ttl ?? 0, record.data.minimum ?? 0);
  }
  return DEFAULT_NEGATIVE_TTL_SECONDS;
}

/** Reads a DNS response to the question (`name`, `type`); anything unexpected is a temporary error. */
export function readAnswer<T extends DnsRecordType>(bytes: Uint8Array, name: string, type: T): DnsAnswer<T> {
  let packet: DecodedPacket;
  try {
    packet = decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch {
    return temperror('the resolver sent a malformed DNS message');
  }
  const question = packet.questions?.[0];
  if (packet.type !== 'response' || !question || question.type !== type || !sameName(question.name, name)) {
    return temperror('the resolver answered another question');
  }
  if (packet.flag_tc) return temperror('the resolver sent a truncated answer');
  const rcode = (packet.flags ?? 0) & RCODE_MASK;
  if (rcode === NXDOMAIN)
    return { lookup: { kind: 'empty', nxdomain: true }, ttlSeconds: negativeTtl(packet) };
  if (rcode !== NOERROR) return temperror(`the resolver answered rcode ${rcode}`);

  const answers = packet.answers ?? [];
  let current = name;
  let ttl = Number.POSITIVE_INFINITY;
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
    const here = answers.filter((answer) => 'name' in answer && sameName(answer.name, current));
    const records = here.flatMap((answer) => dataOf(answer, type) ?? []);
    if (records.length > 0) {
      for (const answer of here)
        if (answer.type === type && 'ttl' in answer) ttl = Math.min(ttl, answer.ttl ?? 0);
      return { lookup: { kind: 'records', records }, ttlSeconds: ttl };
    }
    const alias = here.find((answer) => answer.type === 'CNAME');
    if (alias?.type !== 'CNAME') break;
    ttl = Math.min(ttl, alias.ttl ?? 0);
    current = alias.data;
  }
  return { lookup: { kind: 'empty', nxdomain: false }, ttlSeconds: negativeTtl(packet) };
}
