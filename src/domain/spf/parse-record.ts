import { parseIpv4, parseIpv6, type IpAddress } from './ip-address';
import { parseDomainSpec, type MacroToken } from './macro';

export type Qualifier = '+' | '-' | '~' | '?';

export type Mechanism =
  | { kind: 'all' }
  | { kind: 'include' | 'exists'; target: MacroToken[] }
  | { kind: 'a' | 'mx'; target: MacroToken[] | undefined; prefix4: number; prefix6: number }
  | { kind: 'ptr'; target: MacroToken[] | undefined }
  | { kind: 'ip4' | 'ip6'; network: IpAddress; prefixLength: number };

export interface Directive {
  qualifier: Qualifier;
  mechanism: Mechanism;
  /** The term as published, for reasons. */
  term: string;
}

export interface SpfRecord {
  directives: Directive[];
  redirect?: { target: MacroToken[]; term: string };
  /** Section 6.1: a redirect= is ignored when the record has an `all` mechanism anywhere. */
  hasAll: boolean;
}

export type RecordParse = { ok: true; record: SpfRecord } | { ok: false; problem: string };

const VERSION = 'v=spf1';
const MODIFIER = /^([a-z][a-z0-9\-_.]*)=(.*)$/i;
const DIRECTIVE = /^([+\-~?]?)([a-z][a-z0-9\-_.]*)(.*)$/i;
const A_OR_MX_ARGS = /^(?::(.+?))?(?:\/(0|[1-9]\d?))?(?:\/\/(0|[1-9]\d{0,2}))?$/;
const CIDR = /^(0|[1-9]\d{0,2})$/;

/** The one `v=spf1` record among a name's TXT strings (section 4.5), counted when there is not exactly one. */
export function selectSpfRecord(txt: readonly string[]): { count: number; record?: string } {
  const records = txt.filter(
    (text) =>
      text.slice(0, VERSION.length).toLowerCase() === VERSION &&
      [undefined, ' '].includes(text[VERSION.length]),
  );
  return records.length === 1 ? { count: 1, record: records[0] } : { count: records.length };
}

function domainSpec(text: string | undefined, term: string): MacroToken[] | string {
  if (text === undefined || text === '') return `${term} needs a domain`;
  return parseDomainSpec(text) ?? `${term} has an invalid domain-spec`;
}

function optionalDomainSpec(text: string | undefined, term: string): MacroToken[] | undefined | string {
  return text === undefined ? undefined : domainSpec(text, term);
}

function network(kind: 'ip4' | 'ip6', args: string, term: string): Mechanism | string {
  if (!args.startsWith(':')) return `${term} needs an address`;
  const [address = '', prefix, ...extra] = args.slice(1).split('/');
  const ip = kind === 'ip4' ? parseIpv4(address) : parseIpv6(address);
  if (!ip || extra.length > 0) return `${term} has an invalid address`;
  const max = kind === 'ip4' ? 32 : 128;
  if (prefix === undefined) return { kind, network: ip, prefixLength: max };
  if (!CIDR.test(prefix) || Number(prefix) > max) return `${term} has an invalid prefix length`;
  return { kind, network: ip, prefixLength: Number(prefix) };
}

function mechanism(name: string, args: string, term: string): Mechanism | string {
  switch (name) {
    case 'all':
      return args === '' ? { kind: 'all' } : `${term}: all takes no argument`;
    case 'include':
    case 'exists': {
      if (!args.startsWith(':')) return `${term} needs a domain`;
      const target = domainSpec(args.slice(1), term);
      return typeof target === 'string' ? target : { kind: name, target };
    }
    case 'a':
    case 'mx': {
      const match = A_OR_MX_ARGS.exec(args);
      if (!match) return `${term} has invalid arguments`;
      const [, spec, prefix4 = '32', prefix6 = '128'] = match;
      const target = optionalDomainSpec(spec, term);
      if (typeof target === 'string') return target;
      if (Number(prefix4) > 32 || Number(prefix6) > 128) return `${term} has an invalid prefix length`;
      return { kind: name, target, prefix4: Number(prefix4), prefix6: Number(prefix6) };
    }
    case 'ptr': {
      if (args !== '' && !args.startsWith(':')) return `${term} has invalid arguments`;
      const target = optionalDomainSpec(args === '' ? undefined : args.slice(1), term);
      return typeof target === 'string' ? target : { kind: 'ptr', target };
    }
    case 'ip4':
    case 'ip6':
      return network(name, args, term);
    default:
      return `unknown mechanism ${term}`;
  }
}

/** Parses a whole record first: section 4.6 makes any syntax error a permerror before evaluation. */
export function parseSpfRecord(text: string): RecordParse {
  const terms = text.slice(VERSION.length).split(' ').filter(Boolean);
  const record: SpfRecord = { directives: [], hasAll: false };
  let sawExp = false;
  for (const term of terms) {
    const modifier = MODIFIER.exec(term);
    if (modifier) {
      const name = (modifier[1] ?? '').toLowerCase();
      const value = modifier[2] ?? '';
      if (name === 'redirect' || name === 'exp') {
        const already = name === 'redirect' ? record.redirect !== undefined : sawExp;
        if (already) return { ok: false, problem: `${name}= appears more than once` };
        const target = domainSpec(value, term);
        if (typeof target === 'string') return { ok: false, problem: target };
        if (name === 'redirect') record.redirect = { target, term };
        else sawExp = true;
      } else if (!/^[\x21-\x7e]*$/.test(value) || (value !== '' && !isMacroString(value))) {
        return { ok: false, problem: `${term} has an invalid value` };
      }
      continue;
    }
    const directive = DIRECTIVE.exec(term);
    if (!directive) return { ok: false, problem: `cannot parse ${term}` };
    const [, qualifier = '', name = '', args = ''] = directive;
    const parsed = mechanism(name.toLowerCase(), args, term);
    if (typeof parsed === 'string') return { ok: false, problem: parsed };
    if (parsed.kind === 'all') record.hasAll = true;
    record.directives.push({ qualifier: (qualifier || '+') as Qualifier, mechanism: parsed, term });
  }
  return { ok: true, record };
}

/** An unknown modifier's value is a macro-string: literals and well-formed `%` expansions only. */
function isMacroString(value: string): boolean {
  return !/%(?![%_-]|\{[a-z]\d*r?[.\-+,/_=]*\})/i.test(value);
}
