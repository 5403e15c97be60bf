import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { messageSpool, type MessageWriter } from '../../../src/ingress/message-spool';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function spoolDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spool-'));
  dirs.push(dir);
  return join(dir, 'spool');
}

const HEAD = Buffer.from('Received: by test\r\n');

async function write(writer: MessageWriter, chunks: readonly Buffer[]) {
  for (const chunk of chunks) if (!writer.add(chunk)) await writer.drained();
  return writer.finish();
}

describe('messageSpool: messages waiting for their submit', () => {
  it('keeps messages in memory up to its share and writes the next one to a file, both read back whole', async () => {
    const dir = spoolDir();
    const spool = messageSpool(dir, 1_000);
    const chunks = (fill: string) => [Buffer.from(fill.repeat(300)), Buffer.from(fill.repeat(300))];

    const inMemory = await write(spool.start(), chunks('a'));
    expect(readdirSync(dir)).toEqual([]);
    const spooled = await write(spool.start(), chunks('b')); // 600 more than the 1,000 the share has left
    expect(readdirSync(dir)).toHaveLength(1);

    expect((await inMemory.take(HEAD)).toString()).toBe(`${HEAD.toString()}${'a'.repeat(600)}`);
    expect((await spooled.take(HEAD)).toString()).toBe(`${HEAD.toString()}${'b'.repeat(600)}`);
    expect(readdirSync(dir)).toEqual([]);
    // The share is free again: the next message stays in memory.
    await write(spool.start(), chunks('c'));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reads back a large spooled message byte for byte, waiting for the disk without piling up listeners', async () => {
    const dir = spoolDir();
    const spool = messageSpool(dir, 0);
    const chunks = Array.from({ length: 200 }, (_, i) => Buffer.alloc(16 * 1024 + i, i % 256));
    const warnings: Error[] = [];
    const warned = (warning: Error) => warnings.push(warning);
    process.on('warning', warned);
    const message = await write(spool.start(), chunks);
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', warned);
    expect(warnings.map((warning) => warning.name)).toEqual([]);
    expect(message.bytes).toBe(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
    expect((await message.take(HEAD)).equals(Buffer.concat([HEAD, ...chunks]))).toBe(true);
  });

  it('removes the file of a message dropped or aborted', async () => {
    const dir = spoolDir();
    const spool = messageSpool(dir, 0);
    const dropped = await write(spool.start(), [Buffer.from('dropped')]);
    const aborted = spool.start();
    aborted.add(Buffer.from('aborted'));
    dropped.drop();
    aborted.abort();
    await expect.poll(() => readdirSync(dir)).toEqual([]);
  });

  it('fails the message, not the process, when its file cannot be written', async () => {
    const dir = spoolDir();
    const spool = messageSpool(dir, 0);
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'a file where the folder was');
    const writer = spool.start();
    await expect(write(writer, [Buffer.from('x'.repeat(100)), Buffer.from('y')])).rejects.toThrow();
  });

  it('removes files a dead process left long ago, and keeps those another process is writing', () => {
    const dir = spoolDir();
    messageSpool(dir, 0);
    writeFileSync(join(dir, 'left'), 'old');
    writeFileSync(join(dir, 'writing'), 'new');
    const hourAgo = new Date(Date.now() - 60 * 60_000);
    utimesSync(join(dir, 'left'), hourAgo, hourAgo);
    messageSpool(dir, 0);
    expect(readdirSync(dir)).toEqual(['writing']);
  });
});
