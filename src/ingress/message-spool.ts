import { randomBytes } from 'node:crypto';
import { createWriteStream, readdirSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../platform/data-dir';
import { messageBudget, type MessageBudget } from './message-budget';

/** A message DATA has read in full, waiting for its turn to be submitted. */
export interface HeldMessage {
  bytes: number;
  /** The message with `head` on top, as one Buffer; a spooled message's file is removed. */
  take(head: Buffer): Promise<Buffer>;
  /** Gives the message up unread. */
  drop(): void;
}

/** One message as DATA reads it. */
export interface MessageWriter {
  /** Adds the next chunk; false: a file is behind, wait for `drained` before the next. */
  add(chunk: Buffer): boolean;
  drained(): Promise<void>;
  /** Every chunk was added; rejects when the spool file could not be written (it is removed then). */
  finish(): Promise<HeldMessage>;
  /** The message will not be finished: frees its memory, removes its file. */
  abort(): void;
}

/**
 * Where messages wait between DATA and their submit: in memory while the ingress holds less than
 * `memoryBytes` of them, else in a private file under `dir`. Forty clients sending large messages at once
 * would otherwise hold every message in memory until its turn.
 */
export interface MessageSpool {
  start(): MessageWriter;
}

interface SpoolFile {
  path: string;
  stream: WriteStream;
  /** The first write that failed: the message cannot be kept. */
  failure: Error | undefined;
  /** Rejects with that failure. */
  failed: Promise<never>;
}

/** A file untouched this long belongs to no message being read or submitted: a process died holding it. */
const ABANDONED_MS = 10 * 60_000;

/**
 * Removes what a dead process left in `dir` (never acknowledged, so its clients send it again); another
 * process sharing the data directory keeps the files it is writing.
 */
export function messageSpool(dir: string, memoryBytes: number): MessageSpool {
  ensureDir(dir, PRIVATE_DIR_MODE);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const modified = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (Date.now() - modified > ABANDONED_MS) rmSync(path, { force: true });
  }
  const memory = messageBudget(memoryBytes);

  return {
    start() {
      let chunks: Buffer[] = [];
      let inMemory = 0;
      let bytes = 0;
      let file: SpoolFile | undefined;
      const releaseMemory = () => {
        memory.give(inMemory);
        inMemory = 0;
        chunks = [];
      };
      // Once the stream has closed, so a file still being opened is not created after its removal.
      const removeFile = (spooled: SpoolFile) => {
        // Nothing more can be done for a file that cannot be removed: the next start removes it once abandoned.
        const remove = () => void rm(spooled.path, { force: true }).catch(() => undefined);
        if (spooled.stream.closed) remove();
        else spooled.stream.once('close', remove).destroy();
      };
      const spoolTo = (): SpoolFile => {
        const path = join(dir, randomBytes(12).toString('hex'));
        const stream = createWriteStream(path, { flags: 'wx', mode: PRIVATE_FILE_MODE });
        const failed = new Promise<never>((_, reject) => stream.once('error', reject));
        failed.catch(() => undefined); // observed where it matters: drained() and finish()
        const spooled: SpoolFile = { path, stream, failure: undefined, failed };
        stream.on('error', (error) => (spooled.failure ??= error));
        for (const chunk of chunks) stream.write(chunk);
        releaseMemory();
        return spooled;
      };

      return {
        add(chunk) {
          bytes += chunk.length;
          if (!file && memory.take(chunk.length)) {
            inMemory += chunk.length;
            chunks.push(chunk);
            return true;
          }
          file ??= spoolTo();
          // After a failed write the rest is only counted: finish() reports the failure.
          return file.failure !== undefined || file.stream.write(chunk);
        },
        async drained() {
          const spooled = file;
          if (!spooled || spooled.failure || !spooled.stream.writableNeedDrain) return;
          await Promise.race([
            new Promise<void>((resolve) => spooled.stream.once('drain', () => resolve())),
            spooled.failed,
          ]);
        },
        async finish() {
          const spooled = file;
          if (!spooled) {
            const taken = inMemory;
            inMemory = 0;
            return heldInMemory(memory, chunks.splice(0), bytes, taken);
          }
          try {
            await Promise.race([
              new Promise<void>((resolve) => spooled.stream.once('finish', resolve).end()),
              spooled.failed,
            ]);
          } catch (error) {
            removeFile(spooled);
            throw error;
          }
          return {
            bytes,
            take: (head) => readSpooled(spooled.path, head, bytes),
            drop: () => removeFile(spooled),
          };
        },
        abort() {
          releaseMemory();
          if (file) removeFile(file);
        },
      };
    },
  };
}

/** A message kept in memory: `taken` of the spool's memory share is given back once it is taken or dropped. */
function heldInMemory(memory: MessageBudget, held: Buffer[], bytes: number, taken: number): HeldMessage {
  let given = false;
  const give = () => {
    if (!given) memory.give(taken);
    given = true;
  };
  return {
    bytes,
    take(head) {
      give();
      return Promise.resolve(Buffer.concat([head, ...held.splice(0)], head.length + bytes));
    },
    drop() {
      held.length = 0;
      give();
    },
  };
}

/** The spooled message read into one Buffer after `head`; the file is removed, read or not. */
async function readSpooled(path: string, head: Buffer, bytes: number): Promise<Buffer> {
  const message = Buffer.allocUnsafe(head.length + bytes);
  head.copy(message);
  try {
    const handle = await open(path, 'r');
    try {
      for (let at = head.length; at < message.length;) {
        const { bytesRead } = await handle.read(message, at, message.length - at, at - head.length);
        if (bytesRead === 0) throw new Error('the spooled message is shorter than what was read');
        at += bytesRead;
      }
    } finally {
      await handle.close();
    }
  } finally {
    await rm(path, { force: true });
  }
  return message;
}
