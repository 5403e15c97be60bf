import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Finished {
  code: number | null;
  out: string;
  err: string;
}

/** Runs one of the project's entries (`src/cli/admin.ts`, an example ...) as its own process, through tsx. */
export function runTsx(args: readonly string[], env: Record<string, string> = {}): Promise<Finished> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err })));
}

/** `npm start`'s entry as its own process, resolved once it says it is listening. */
export async function startServerProcess(env: Record<string, string>): Promise<ChildProcess> {
  const started = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: started.stdout });
  await new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => line.startsWith('email delivery listening') && resolve());
    started.once('exit', (code) => reject(new Error(`the entry exited with ${code}`)));
  });
  return started;
}
