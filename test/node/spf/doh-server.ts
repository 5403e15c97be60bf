import { Buffer } from 'node:buffer';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import {
  decode,
  encode,
  RECURSION_AVAILABLE,
  RECURSION_DESIRED,
  type Answer,
  type Question,
  type SoaAnswer,
} from 'dns-packet';

/** What one name holds; a name absent from the zone answers NXDOMAIN. */
export interface ZoneEntry {
  TXT?: string[];
  A?: string[];
  AAAA?: string[];
  MX?: { preference: number; exchange: string }[];
  PTR?: string[];
  CNAME?: string;
  /** Every question about this name gets SERVFAIL. */
  servfail?: boolean;
}

export type Zone = Record<string, ZoneEntry>;

/** How the server behaves as a whole: answer, never answer, or answer with an HTTP error or an oversized body. */
export type DohMode = 'answer' | 'hang' | 'http-503' | 'oversized';

export interface DohServer {
  url: string;
  /** The zone served; tests may change it between requests. */
  zone: Zone;
  mode: DohMode;
  ttlSeconds: number;
  /** Every question asked, in order, as `TYPE name`. */
  queries: string[];
  close(): Promise<void>;
}

const MAX_QUERY_BYTES = 4_096; // a question is a few dozen bytes; refuse anything bigger
const TXT_CHUNK = 255; // one DNS character-string holds at most 255 octets
const SERVFAIL = 2;
const NXDOMAIN = 3;

function chunks(text: string): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += TXT_CHUNK) parts.push(text.slice(i, i + TXT_CHUNK));
  return parts.length > 0 ? parts : [''];
}

function recordsAt(zone: Zone, name: string, type: string, ttl: number): Answer[] {
  const entry = zone[name];
  if (!entry) return [];
  switch (type) {
    case 'TXT':
      return (entry.TXT ?? []).map((text) => ({ type: 'TXT', name, ttl, data: chunks(text) }));
    case 'A':
    case 'AAAA':
      return (entry[type] ?? []).map((address) => ({ type, name, ttl, data: address }));
    case 'MX':
      return (entry.MX ?? []).map((mx) => ({ type: 'MX', name, ttl, data: mx }));
    case 'PTR':
      return (entry.PTR ?? []).map((target) => ({ type: 'PTR', name, ttl, data: target }));
    default:
      return [];
  }
}

function answerFor(zone: Zone, question: Question, ttl: number): { rcode: number; answers: Answer[] } {
  const answers: Answer[] = [];
  let name = question.name.toLowerCase();
  for (let hop = 0; hop < 8; hop++) {
    const entry = zone[name];
    if (!entry) return { rcode: hop === 0 ? NXDOMAIN : 0, answers };
    if (entry.servfail) return { rcode: SERVFAIL, answers: [] };
    if (entry.CNAME && question.type !== 'CNAME') {
      answers.push({ type: 'CNAME', name, ttl, data: entry.CNAME });
      name = entry.CNAME;
      continue;
    }
    answers.push(...recordsAt(zone, name, question.type, ttl));
    return { rcode: 0, answers };
  }
  return { rcode: SERVFAIL, answers: [] };
}

const soa = (ttl: number): SoaAnswer => ({
  type: 'SOA',
  name: 'test',
  ttl,
  data: {
    mname: 'ns.test',
    rname: 'hostmaster.test',
    serial: 1,
    refresh: 60,
    retry: 60,
    expire: 60,
    minimum: ttl,
  },
});

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request) {
    size += (part as Buffer).length;
    if (size > MAX_QUERY_BYTES) return undefined;
    parts.push(part as Buffer);
  }
  return Buffer.concat(parts);
}

/** A real RFC 8484 server on 127.0.0.1, port 0, answering from `zone`. */
export async function startDohServer(zone: Zone): Promise<DohServer> {
  const sockets = new Set<Socket>();
  const server = createServer();
  const state: DohServer = {
    url: '',
    zone,
    mode: 'answer',
    ttlSeconds: 300,
    queries: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const wire =
      request.method === 'POST'
        ? await readBody(request)
        : Buffer.from(url.searchParams.get('dns') ?? '', 'base64url');
    if (url.pathname !== '/dns-query' || !wire || wire.length === 0 || wire.length > MAX_QUERY_BYTES) {
      response.writeHead(400).end();
      return;
    }
    const query = decode(wire);
    const question = query.questions?.[0];
    if (!question) {
      response.writeHead(400).end();
      return;
    }
    state.queries.push(`${question.type} ${question.name.toLowerCase()}`);
    if (state.mode === 'hang') return;
    if (state.mode === 'http-503') {
      response.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
      return;
    }
    if (state.mode === 'oversized') {
      response.writeHead(200, { 'content-type': 'application/dns-message' }).end(Buffer.alloc(70_000));
      return;
    }
    const { rcode, answers } = answerFor(state.zone, question, state.ttlSeconds);
    const negative = rcode === NXDOMAIN || (rcode === 0 && !answers.some((a) => a.type === question.type));
    const message = encode({
      type: 'response',
      id: query.id ?? 0,
      flags: RECURSION_DESIRED | RECURSION_AVAILABLE | rcode,
      questions: [question],
      answers,
      authorities: negative ? [soa(state.ttlSeconds)] : [],
    });
    response.writeHead(200, { 'content-type': 'application/dns-message', 'content-length': message.length });
    response.end(message);
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch(() => response.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the DoH server has no address');
  state.url = `http://127.0.0.1:${address.port}/dns-query`;
  return state;
}
