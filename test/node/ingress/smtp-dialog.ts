import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';

const REPLY_TIMEOUT_MS = 10_000;

export interface Reply {
  code: number;
  /** Every line of the reply, without the code. */
  lines: string[];
  /** The last line's text, as SMTP clients report it. */
  text: string;
}

/** A bare SMTP client: one command, one reply, so every reply code can be checked as sent. */
export interface Dialog {
  greeting: Reply;
  command(line: string): Promise<Reply>;
  /** STARTTLS, then the TLS handshake with `servername`. */
  starttls(ca: string, servername?: string): Promise<Reply>;
  /** Sends the message and the terminating dot, then reads the reply. */
  data(message: string): Promise<Reply>;
  /** Writes raw text and waits for no reply: the first part of a message, say. */
  send(text: string): void;
  /** The next reply, for text written with `send`. */
  reply(): Promise<Reply>;
  close(): void;
}

function replyReader(socket: Socket) {
  let buffer = '';
  let waiting: ((reply: Reply) => void) | undefined;
  let failed: ((error: Error) => void) | undefined;
  const pending: Reply[] = [];
  const lines: string[] = [];
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let at = buffer.indexOf('\r\n'); at >= 0; at = buffer.indexOf('\r\n')) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      lines.push(line.slice(4));
      if (line[3] === '-') continue;
      const reply = { code: Number(line.slice(0, 3)), lines: lines.splice(0), text: line.slice(4) };
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve(reply);
      } else pending.push(reply);
    }
  };
  socket.on('data', onData);
  socket.on('error', (error) => failed?.(error));
  return {
    next(): Promise<Reply> {
      const ready = pending.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no SMTP reply in time')), REPLY_TIMEOUT_MS);
        waiting = (reply) => {
          clearTimeout(timer);
          resolve(reply);
        };
        failed = reject;
      });
    },
    detach: () => socket.off('data', onData),
  };
}

/** Trusts only `ca`; a name other than localhost is sent for SNI, and the chain alone is checked. */
const trusting = (ca: string, servername = 'localhost') => ({
  ca,
  servername,
  ...(servername === 'localhost' ? {} : { checkServerIdentity: () => undefined }),
});

/** Opens a session: plain TCP (then STARTTLS) or implicit TLS trusting `ca`. */
export async function openDialog(
  port: number,
  security: { implicit: false } | { implicit: true; ca: string; servername?: string },
): Promise<Dialog> {
  let socket: Socket | TLSSocket = security.implicit
    ? connectTls({ host: '127.0.0.1', port, ...trusting(security.ca, security.servername) })
    : connectTcp({ host: '127.0.0.1', port });
  let reader = replyReader(socket);
  const greeting = await reader.next();
  const command = (line: string): Promise<Reply> => {
    socket.write(`${line}\r\n`);
    return reader.next();
  };
  return {
    greeting,
    command,
    async starttls(ca, servername = 'localhost') {
      const answer = await command('STARTTLS');
      reader.detach();
      const tls = connectTls({ socket, ...trusting(ca, servername) });
      await new Promise<void>((resolve, reject) => {
        tls.once('secureConnect', resolve);
        tls.once('error', reject);
      });
      socket = tls;
      reader = replyReader(tls);
      return answer;
    },
    data(message) {
      socket.write(`${message.replace(/\r\n\./g, '\r\n..')}\r\n.\r\n`);
      return reader.next();
    },
    send(text) {
      socket.write(text);
    },
    reply() {
      return reader.next();
    },
    close() {
      socket.destroy();
    },
  };
}
