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
}

export type RawMessageResult = { ok: true; message: RawMessage } | { ok: false; problem: string };

// A UTF-8 character is at most 3 octets per UTF-16 unit, so only long lines need encoding to measure.
const tooLong = (line: string): boolean =>
  line.length > MAX_LINE_OCTETS ||
  (line.length * 3 > MAX_LINE_OCTETS && encoder.encode(line).length > MAX_LINE_OCTETS);

/** Reads a raw RFC 5322 message's header block; refuses what no relay should be handed. */
export function readRawMessage(raw: string): RawMessageResult {
  if (raw.includes('\0')) return { ok: false, problem: 'the message contains a NUL character' };
  const text = normalizeLineBreaks(raw);
  const lines = text.split('\r\n');
  if (lines.some(tooLong)) return { ok: false, problem: `a line is longer than ${MAX_LINE_OCTETS} octets` };
  const fields: RawHeaderField[] = [];
  let offset = 0;
  let current: RawHeaderField | undefined;
  for (const line of lines) {
    const next = offset + line.length + 2;
    if (line === '') break;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (!current) return { ok: false, problem: 'the header starts with a continuation line' };
      current.value += line;
      current.end = next;
    } else {
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon).trimEnd() : '';
      if (!fieldName.test(name)) return { ok: false, problem: 'a header line has no valid field name' };
      if (fields.length >= MAX_HEADER_FIELDS) return { ok: false, problem: 'too many header fields' };
      current = { name, value: line.slice(colon + 1), start: offset, end: next };
      fields.push(current);
    }
    offset = next;
  }
  if (fields.length === 0) return { ok: false, problem: 'the message has no header' };
  for (const field of fields) field.value = field.value.trim();
  return { ok: true, message: { text, fields } };
}

/** The fields named `name` (any case). */
export function fieldsNamed(message: RawMessage, name: string): RawHeaderField[] {
  const wanted = name.toLowerCase();
  return message.fields.filter((field) => field.name.toLowerCase() === wanted);
}

/** The message text without the named header fields (continuation lines included). */
export function withoutFields(message: RawMessage, names: readonly string[]): string {
  const drop = new Set(names.map((n) => n.toLowerCase()));
  let out = '';
  let at = 0;
  for (const field of message.fields) {
    if (!drop.has(field.name.toLowerCase())) continue;
    out += message.text.slice(at, field.start);
    at = field.end;
  }
  return out + message.text.slice(at);
}
