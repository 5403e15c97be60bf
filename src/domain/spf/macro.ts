import { macroFormOf } from './ip-address';
import type { SpfClient } from './types';

/** A parsed macro-string (RFC 7208 section 7.1): literal text and `%{...}` expansions in order. */
export type MacroToken =
  | { kind: 'text'; text: string }
  | { kind: 'macro'; letter: string; escape: boolean; keep?: number; reverse: boolean; delimiters: string };

export interface MacroContext {
  /** The MAIL FROM identity: `local@domain`. */
  sender: string;
  /** The domain whose record is being evaluated (`%{d}`). */
  domain: string;
  client: SpfClient;
  helo: string;
  /** `%{p}`: the client's validated domain name (section 7.3), found only when a spec asks for it. */
  validatedName?: string | undefined;
}

/** Whether a domain-spec expands anything, so that what it names is known only after expansion. */
export const hasMacro = (tokens: readonly MacroToken[] | undefined): boolean =>
  tokens?.some((token) => token.kind === 'macro') ?? false;

/** Whether a domain-spec asks for `%{p}`, which costs reverse DNS lookups to expand. */
export const asksForValidatedName = (tokens: readonly MacroToken[] | undefined): boolean =>
  tokens?.some((token) => token.kind === 'macro' && token.letter.toLowerCase() === 'p') ?? false;

const DOMAIN_SPEC_LETTERS = 'slodiphv'; // c, r and t belong to exp= text only (section 7.2)
const ESCAPES: Record<string, string> = { '%': '%', _: ' ', '-': '%20' };
const MACRO = /^%\{([a-z])(\d*)(r?)([.\-+,/_=]*)\}/i;
const TOP_LABEL = '(?:[a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+-[a-z0-9-]*[a-z0-9])';
const DOMAIN_END = new RegExp(`\\.${TOP_LABEL}\\.?$`, 'i');

/** Tokens of a domain-spec, or undefined when it breaks the grammar (a permerror). */
export function parseDomainSpec(spec: string): MacroToken[] | undefined {
  const tokens: MacroToken[] = [];
  let endsWithMacro = false;
  let trailingText = '';
  for (let rest = spec; rest.length > 0;) {
    if (rest.startsWith('%')) {
      const escaped = ESCAPES[rest.charAt(1)];
      const macro = MACRO.exec(rest);
      if (escaped !== undefined) {
        tokens.push({ kind: 'text', text: escaped });
        rest = rest.slice(2);
      } else if (macro) {
        const [whole, letter = '', digits = '', reverse = '', delimiters = ''] = macro;
        if (!DOMAIN_SPEC_LETTERS.includes(letter.toLowerCase())) return undefined;
        if (digits !== '' && Number(digits) === 0) return undefined;
        tokens.push({
          kind: 'macro',
          letter: letter.toLowerCase(),
          escape: letter !== letter.toLowerCase(),
          ...(digits === '' ? {} : { keep: Number(digits) }),
          reverse: reverse !== '',
          delimiters: delimiters || '.',
        });
        rest = rest.slice(whole.length);
      } else {
        return undefined;
      }
      endsWithMacro = true;
      trailingText = '';
    } else {
      const char = rest.charAt(0);
      if (char < '!' || char > '~') return undefined;
      tokens.push({ kind: 'text', text: char });
      trailingText += char;
      endsWithMacro = false;
      rest = rest.slice(1);
    }
  }
  if (!endsWithMacro && !DOMAIN_END.test(trailingText)) return undefined;
  return tokens;
}

/** RFC 3986 percent-encoding of everything outside the unreserved set. */
function urlEscape(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function valueOf(letter: string, ctx: MacroContext): string | undefined {
  const at = ctx.sender.lastIndexOf('@');
  switch (letter) {
    case 's':
      return ctx.sender;
    case 'l':
      return at > 0 ? ctx.sender.slice(0, at) : 'postmaster';
    case 'o':
      return ctx.sender.slice(at + 1);
    case 'd':
      return ctx.domain;
    case 'h':
      return ctx.helo;
    case 'p':
      return ctx.validatedName ?? 'unknown'; // section 7.3: 'unknown' when no name validates
    case 'i':
      return ctx.client.kind === 'address' ? macroFormOf(ctx.client.ip) : undefined;
    case 'v':
      return ctx.client.kind === 'address' ? (ctx.client.ip.family === 4 ? 'in-addr' : 'ip6') : undefined;
    default:
      return undefined;
  }
}

function transform(value: string, token: Extract<MacroToken, { kind: 'macro' }>): string {
  let parts: string[] = [];
  let part = '';
  for (const char of value) {
    if (token.delimiters.includes(char)) {
      parts.push(part);
      part = '';
    } else {
      part += char;
    }
  }
  parts.push(part);
  if (token.reverse) parts = parts.reverse();
  if (token.keep !== undefined) parts = parts.slice(-token.keep);
  const joined = parts.join('.');
  return token.escape ? urlEscape(joined) : joined;
}

/** The expanded text, or undefined when it needs the client's address and the client has none. */
export function expandMacros(tokens: readonly MacroToken[], ctx: MacroContext): string | undefined {
  let out = '';
  for (const token of tokens) {
    if (token.kind === 'text') {
      out += token.text;
      continue;
    }
    const value = valueOf(token.letter, ctx);
    if (value === undefined) return undefined;
    out += transform(value, token);
  }
  return out;
}
