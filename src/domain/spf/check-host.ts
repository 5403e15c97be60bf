import type { DnsLookup, DnsRecordType, Resolver } from '../ports';
import { isValidDomain, normalizeDomain, truncateFromLeft } from './domain-name';
import { inNetwork, macroFormOf, parseIp, unmapIpv4, type IpAddress } from './ip-address';
import { asksForValidatedName, expandMacros, hasMacro, type MacroToken } from './macro';
import { parseSpfRecord, selectSpfRecord, type Directive, type Qualifier } from './parse-record';
import type { SpfClient, SpfEvaluation, SpfOutcome, SpfResult } from './types';

export const MAX_DNS_LOOKUP_TERMS = 10; // RFC 7208 section 4.6.4: include, a, mx, ptr, exists, redirect
export const MAX_VOID_LOOKUPS = 2; // RFC 7208 section 4.6.4 recommends two
export const MAX_MX_EXCHANGES = 10; // RFC 7208 section 4.6.4: one mx term looks up at most ten addresses
export const MAX_PTR_NAMES = 10; // RFC 7208 section 4.6.4: a ptr term or %{p} validates at most ten names
export const MAX_SPF_RECORD_LENGTH = 4_096; // real policies are a few hundred octets; longer is abuse

export interface SpfRequest {
  client: SpfClient;
  /** The domain whose policy is asked (check_host()'s <domain>). */
  domain: string;
  /** The MAIL FROM identity, for macros. */
  sender: string;
  /** The HELO name, for the `%{h}` macro. */
  helo: string;
  signal?: AbortSignal | undefined;
}

interface Evaluation {
  resolver: Resolver;
  client: SpfClient;
  sender: string;
  helo: string;
  signal: AbortSignal | undefined;
  lookups: number;
  voids: number;
  /** Domains being evaluated, outermost first: an include or redirect back into one is a loop. */
  chain: string[];
  /** The client's validated domain names (section 5.5), looked up once when a ptr term or %{p} asks. */
  validatedNames?: Promise<string[]>;
}

/** What one term does: no match, a match (an include says how it got there), or the end of the check. */
type Step = { kind: 'no-match' } | { kind: 'match'; via?: string } | { kind: 'stop'; outcome: SpfOutcome };

const RESULT_OF: Record<Qualifier, SpfResult> = { '+': 'pass', '-': 'fail', '~': 'softfail', '?': 'neutral' };
const NO_MATCH: Step = { kind: 'no-match' };
const MATCH: Step = { kind: 'match' };
const stop = (result: SpfResult, reason: string): Step => ({ kind: 'stop', outcome: { result, reason } });

/** RFC 7208 check_host() for `request`, with the lookup counts the evaluation used. */
export async function evaluateSpf(resolver: Resolver, request: SpfRequest): Promise<SpfEvaluation> {
  const client: SpfClient =
    request.client.kind === 'address'
      ? { kind: 'address', ip: unmapIpv4(request.client.ip) }
      : request.client;
  const ev: Evaluation = {
    resolver,
    client,
    sender: request.sender,
    helo: request.helo,
    signal: request.signal,
    lookups: 0,
    voids: 0,
    chain: [],
  };
  const result = await checkHost(ev, normalizeDomain(request.domain));
  return { ...result, lookupCount: ev.lookups, voidLookupCount: ev.voids };
}

function lookup<T extends DnsRecordType>(ev: Evaluation, name: string, type: T): Promise<DnsLookup<T>> {
  if (ev.signal?.aborted) return Promise.resolve({ kind: 'temperror', reason: 'the check ran out of time' });
  return ev.resolver.lookup(name, type, ev.signal);
}

async function checkHost(ev: Evaluation, domain: string): Promise<SpfOutcome & { record: string | null }> {
  const done = (result: SpfResult, reason: string, record: string | null = null) => ({
    result,
    reason,
    record,
  });
  if (!isValidDomain(domain)) return done('none', `${domain || 'the domain'} is not a valid domain name`);
  const path = [...ev.chain, domain].join(' → ');
  if (ev.client.kind === 'infrastructure' && domain === ev.client.includeHost) {
    return done('pass', `the policy reaches ${path}`);
  }
  if (ev.chain.includes(domain)) return done('permerror', `include or redirect loop: ${path}`);

  const txt = await lookup(ev, domain, 'TXT');
  if (txt.kind === 'temperror') return done('temperror', `TXT lookup of ${domain} failed: ${txt.reason}`);
  const found = selectSpfRecord(txt.kind === 'records' ? txt.records : []);
  if (found.record === undefined) {
    return found.count === 0
      ? done('none', `${domain} publishes no v=spf1 record`)
      : done('permerror', `${domain} publishes ${found.count} v=spf1 records; RFC 7208 allows one`);
  }
  const record = found.record;
  if (record.length > MAX_SPF_RECORD_LENGTH) {
    return done(
      'permerror',
      `the record at ${domain} is longer than ${MAX_SPF_RECORD_LENGTH} characters`,
      record,
    );
  }
  const parsed = parseSpfRecord(record);
  if (!parsed.ok)
    return done('permerror', `syntax error in the record at ${domain}: ${parsed.problem}`, record);

  ev.chain.push(domain);
  try {
    for (const directive of parsed.record.directives) {
      const step = await evaluateDirective(ev, domain, directive);
      if (step.kind === 'stop') return { ...step.outcome, record };
      if (step.kind === 'match') {
        const matched = `${directive.term} in ${domain} matched`;
        const reason =
          step.via === undefined
            ? matched
            : directive.qualifier === '+'
              ? step.via
              : `${matched}: ${step.via}`;
        return done(RESULT_OF[directive.qualifier], reason, record);
      }
    }
    const redirect = parsed.record.redirect;
    if (!redirect || parsed.record.hasAll)
      return done('neutral', `no term of the record at ${domain} matched`, record);
    const limit = countLookup(ev, domain, redirect.term);
    if (limit) return { ...limit.outcome, record };
    const target = await targetName(ev, domain, redirect.target);
    if (target === undefined) return done('neutral', `${redirect.term} needs the client's address`, record);
    const inner = await checkHost(ev, target);
    if (inner.result === 'none')
      return done('permerror', `${redirect.term} in ${domain}: ${inner.reason}`, record);
    return { ...inner, record };
  } finally {
    ev.chain.pop();
  }
}

function countLookup(
  ev: Evaluation,
  domain: string,
  term: string,
): Extract<Step, { kind: 'stop' }> | undefined {
  ev.lookups += 1;
  if (ev.lookups <= MAX_DNS_LOOKUP_TERMS) return undefined;
  const reason = `${term} in ${domain} is DNS lookup ${ev.lookups}; RFC 7208 allows ${MAX_DNS_LOOKUP_TERMS}`;
  return { kind: 'stop', outcome: { result: 'permerror', reason } };
}

function countVoid(ev: Evaluation, domain: string, term: string): Step {
  ev.voids += 1;
  if (ev.voids <= MAX_VOID_LOOKUPS) return NO_MATCH;
  return stop(
    'permerror',
    `${term} in ${domain} is void lookup ${ev.voids}; RFC 7208 allows ${MAX_VOID_LOOKUPS}`,
  );
}

/** The name a domain-spec expands to, or undefined when it needs a client address we do not have. */
async function targetName(
  ev: Evaluation,
  domain: string,
  spec: MacroToken[] | undefined,
): Promise<string | undefined> {
  if (spec === undefined) return domain;
  const validatedName = asksForValidatedName(spec) ? await validatedNameFor(ev, domain) : undefined;
  const context = { sender: ev.sender, domain, client: ev.client, helo: ev.helo, validatedName };
  const expanded = expandMacros(spec, context);
  return expanded === undefined ? undefined : normalizeDomain(truncateFromLeft(expanded));
}

/** The reverse DNS name of an address: `4.3.2.1.in-addr.arpa` or the nibbles of ip6.arpa. */
const reverseName = (ip: IpAddress): string =>
  `${macroFormOf(ip).split('.').reverse().join('.')}.${ip.family === 4 ? 'in-addr' : 'ip6'}.arpa`;

/**
 * Section 5.5: the PTR names of the client whose own A or AAAA records hold the client's address, from at
 * most ten names. Any DNS failure on the way only drops names: it never makes the check fail.
 */
function validatedNames(ev: Evaluation): Promise<string[]> {
  const client = ev.client;
  if (client.kind !== 'address') return Promise.resolve([]);
  ev.validatedNames ??= (async () => {
    const answer = await lookup(ev, reverseName(client.ip), 'PTR');
    if (answer.kind !== 'records') return [];
    const validated: string[] = [];
    for (const name of answer.records.slice(0, MAX_PTR_NAMES).map(normalizeDomain)) {
      if (!isValidDomain(name)) continue;
      const addresses = await addressesOf(ev, name);
      if (Array.isArray(addresses) && clientIn(ev, addresses, client.ip.family === 4 ? 32 : 128)) {
        validated.push(name);
      }
    }
    return validated;
  })();
  return ev.validatedNames;
}

const sameOrBelow = (name: string, target: string): boolean => name === target || name.endsWith(`.${target}`);

/** Section 7.3's %{p}: a validated name at or below `domain` if any, else any validated name. */
async function validatedNameFor(ev: Evaluation, domain: string): Promise<string | undefined> {
  const names = await validatedNames(ev);
  return names.find((name) => sameOrBelow(name, domain)) ?? names[0];
}

/**
 * A name that is not a domain: a syntax error when the record wrote it so, but a term that simply does not
 * match when only its macros made it so (a HELO of `JUMPIN' JUPITER` in %{h}, section 4.8).
 */
function invalidTarget(spec: MacroToken[] | undefined, problem: string): Step {
  return hasMacro(spec) ? NO_MATCH : stop('permerror', problem);
}

/** Counts a lookup term and expands its target: the name to look up, or the step that ends the term here. */
async function lookupTarget(
  ev: Evaluation,
  domain: string,
  term: string,
  spec: MacroToken[] | undefined,
): Promise<string | Step> {
  const limit = countLookup(ev, domain, term);
  if (limit) return limit;
  return (await targetName(ev, domain, spec)) ?? NO_MATCH;
}

async function evaluateDirective(ev: Evaluation, domain: string, directive: Directive): Promise<Step> {
  const { mechanism, term } = directive;
  const ip = ev.client.kind === 'address' ? ev.client.ip : undefined;
  switch (mechanism.kind) {
    case 'all':
      return MATCH;
    case 'ip4':
    case 'ip6':
      return ip && inNetwork(ip, mechanism.network, mechanism.prefixLength) ? MATCH : NO_MATCH;
    case 'ptr': {
      // Section 5.5 says not to publish ptr; it is evaluated all the same.
      const target = await lookupTarget(ev, domain, term, mechanism.target);
      if (typeof target !== 'string') return target;
      if (!isValidDomain(target))
        return invalidTarget(mechanism.target, `${term} in ${domain} names an invalid domain`);
      const names = await validatedNames(ev);
      return names.some((name) => sameOrBelow(name, target)) ? MATCH : NO_MATCH;
    }
    case 'include':
      return evaluateInclude(ev, domain, term, mechanism.target);
    case 'exists':
      return evaluateExists(ev, domain, term, mechanism.target);
    case 'a':
    case 'mx': {
      const name = await lookupTarget(ev, domain, term, mechanism.target);
      if (typeof name !== 'string') return name;
      if (!isValidDomain(name))
        return invalidTarget(mechanism.target, `${term} in ${domain} names an invalid domain`);
      const prefix = ip?.family === 6 ? mechanism.prefix6 : mechanism.prefix4;
      return mechanism.kind === 'a'
        ? evaluateA(ev, domain, term, name, prefix)
        : evaluateMx(ev, domain, term, name, prefix);
    }
  }
}

async function evaluateInclude(
  ev: Evaluation,
  domain: string,
  term: string,
  spec: MacroToken[],
): Promise<Step> {
  const target = await lookupTarget(ev, domain, term, spec);
  if (typeof target !== 'string') return target;
  if (!isValidDomain(target)) return invalidTarget(spec, `${term} in ${domain} names an invalid domain`);
  const inner = await checkHost(ev, target);
  switch (inner.result) {
    case 'pass':
      return { kind: 'match', via: inner.reason };
    case 'fail':
    case 'softfail':
    case 'neutral':
      return NO_MATCH;
    case 'none':
      return stop('permerror', `${term} in ${domain}: ${inner.reason}`);
    case 'temperror':
    case 'permerror':
      return stop(inner.result, inner.reason);
  }
}

async function evaluateExists(
  ev: Evaluation,
  domain: string,
  term: string,
  spec: MacroToken[],
): Promise<Step> {
  const name = await lookupTarget(ev, domain, term, spec);
  if (typeof name !== 'string') return name;
  if (!isValidDomain(name)) return invalidTarget(spec, `${term} in ${domain} expands to an invalid name`);
  const answer = await lookup(ev, name, 'A');
  if (answer.kind === 'temperror') return stop('temperror', `A lookup of ${name} failed: ${answer.reason}`);
  return answer.kind === 'empty' ? countVoid(ev, domain, term) : MATCH;
}

/** Addresses of `name` in the client's family; for the whole infrastructure, in either family. */
async function addressesOf(ev: Evaluation, name: string): Promise<IpAddress[] | Step> {
  const families: ('A' | 'AAAA')[] =
    ev.client.kind === 'address' ? [ev.client.ip.family === 4 ? 'A' : 'AAAA'] : ['A', 'AAAA'];
  for (const type of families) {
    const answer = await lookup(ev, name, type);
    if (answer.kind === 'temperror')
      return stop('temperror', `${type} lookup of ${name} failed: ${answer.reason}`);
    if (answer.kind === 'records') return answer.records.flatMap((text) => parseIp(text) ?? []);
  }
  return [];
}

function clientIn(ev: Evaluation, addresses: IpAddress[], prefix: number): boolean {
  const client = ev.client;
  return client.kind === 'address' && addresses.some((address) => inNetwork(client.ip, address, prefix));
}

async function evaluateA(
  ev: Evaluation,
  domain: string,
  term: string,
  name: string,
  prefix: number,
): Promise<Step> {
  const addresses = await addressesOf(ev, name);
  if (!Array.isArray(addresses)) return addresses;
  if (addresses.length === 0) return countVoid(ev, domain, term);
  return clientIn(ev, addresses, prefix) ? MATCH : NO_MATCH;
}

async function evaluateMx(
  ev: Evaluation,
  domain: string,
  term: string,
  name: string,
  prefix: number,
): Promise<Step> {
  const answer = await lookup(ev, name, 'MX');
  if (answer.kind === 'temperror') return stop('temperror', `MX lookup of ${name} failed: ${answer.reason}`);
  if (answer.kind === 'empty') return countVoid(ev, domain, term);
  if (answer.records.length > MAX_MX_EXCHANGES) {
    return stop('permerror', `${term} in ${domain}: ${name} has more than ${MAX_MX_EXCHANGES} MX records`);
  }
  if (ev.client.kind !== 'address') return NO_MATCH;
  for (const { exchange } of answer.records) {
    const host = normalizeDomain(exchange);
    if (!isValidDomain(host)) continue; // a null MX (RFC 7505) names no host
    const addresses = await addressesOf(ev, host);
    if (!Array.isArray(addresses)) return addresses;
    if (clientIn(ev, addresses, prefix)) return MATCH;
  }
  return NO_MATCH;
}
