import type { TestProject } from 'vitest/node';
import { startSinkControlServer } from './sink-control-server';

/** Runs in Node before the workerd project: its tests reach SMTP sinks through this control server. */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const control = await startSinkControlServer();
  project.provide('smtpSinkControl', control.url);
  return () => control.close();
}
