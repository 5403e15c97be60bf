import { normalizeLineBreaks } from './body-encoding';

const MAX_LINE_OCTETS = 998; // RFC 5322 section 2.1.1
const MAX_HEADER_FIELDS = 500; // far above any real message; bounds the work of reading the header
const fieldName = /^[\x21-\x39\x3b-\x7e]+$/; // RFC 5322 ftext: printable ASCII except the colon
const encoder = new TextEncoder();

export interface RawHeaderField {
  /** As written, with its case. */
  name: string;
  /** Unfolded: continuation line breaks removed, surrounding whitespace trimmed. */
  value: string;
  /** Where the field starts and where its last line's CRLF ends, in the normalized text. */
  start: number;
  end: number;
}

export interface RawMessage {
  /** The message with every line break as CRLF. */
  text: string;
  fields: RawHeaderField[];
  /** Where the header ends: at the empty line before the body, or at the end of the text. */
  headerEnd: number;
}

export type RawMessageResult = { ok: true; message: RawMessage } | { ok: false; problem: string };

// A UTF-8 character is at most 3 octets per UTF-16 unit, so only long lines need encoding to measure.
const tooLong = (line: string): boolean =>
  line.length > MAX_LINE_OCTETS ||
  (line.length * 3 > MAX_LINE_OCTETS && encoder.encode(line).length > MAX_LINE_OCTETS);

/**
 * Calls `visit` with each CRLF-ended line's start and end (the last line may lack its CRLF) until it
 * answers false. Walked in place: splitting a large message would make a string of every line.
 */
function eachLine(text: string, visit: (start: number, end: number) => boolean): void {
  for (let start = 0; start <= text.length;) {
    const found = text.indexOf('\r\n', start);
    const end = found < 0 ? text.length : found;
    if (!visit(start, end)) return;
    start = end + 2;
  }
}

function hasLongLine(text: string): boolean {
  let long = false;
  eachLine(text, (start, end) => {
    long = end - start > MAX_LINE_OCTETS / 3 && tooLong(text.slice(start, end));
    return !long;
  });
  return long;
}

/** Reads a raw RFC 5322 message's header block; refuses what no relay should be handed. */
export function readRawMessage(raw: string): RawMessageResult {
  if (raw.includes('\0')) return { ok: false, problem: 'the message contains a NUL character' };
  const text = normalizeLineBreaks(raw);
  if (hasLongLine(text)) return { ok: false, problem: `a line is longer than ${MAX_LINE_OCTETS} octets` };
  const fields: RawHeaderField[] = [];
  let headerEnd = text.length;
  let current: RawHeaderField | undefined;
  let problem: string | undefined;
  eachLine(text, (start, lineEnd) => {
    const line = text.slice(start, lineEnd);
    const next = lineEnd + 2;
    if (line === '') {
      headerEnd = start;
      return false;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (!current) problem = 'the header starts with a continuation line';
      else {
        current.value += line;
        current.end = next;
      }
    } else {
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon).trimEnd() : '';
      if (!fieldName.test(name)) problem = 'a header line has no valid field name';
      else if (fields.length >= MAX_HEADER_FIELDS) problem = 'too many header fields';
      else {
        current = { name, value: line.slice(colon + 1), start, end: next };
        fields.push(current);
      }
    }
    return problem === undefined;
  });
  if (problem !== undefined) return { ok: false, problem };
  if (fields.length === 0) return { ok: false, problem: 'the message has no header' };
  for (const field of fields) field.value = field.value.trim();
  return { ok: true, message: { text, fields, headerEnd } };
}

/** The fields named `name` (any case). */
export function fieldsNamed(message: RawMessage, name: string): RawHeaderField[] {
  const wanted = name.toLowerCase();
  return message.fields.filter((field) => field.name.toLowerCase() === wanted);
}

/**
 * The header without the named fields (continuation lines included), and the rest of the message: apart,
 * so the body stays a slice of the message's text rather than a copy.
 */
export function withoutFields(message: RawMessage, names: readonly string[]): [string, string] {
  const drop = new Set(names.map((n) => n.toLowerCase()));
  let out = '';
  let at = 0;
  for (const field of message.fields) {
    if (!drop.has(field.name.toLowerCase())) continue;
    out += message.text.slice(at, field.start);
    at = field.end;
  }
  const { text, headerEnd } = message;
  return [out + text.slice(at, headerEnd), text.slice(headerEnd)];
}
