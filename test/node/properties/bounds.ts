import { expect } from 'vitest';

/** Every property runs the same cases on every run, and few enough to keep the suite short. */
export const SEEDED = { seed: 20_261_205, numRuns: 200 } as const;

/** A megabyte of `unit` repeated: the size a hostile client might send to find a slow path. */
export const megabyteOf = (unit: string): string => unit.repeat(Math.ceil(1_048_576 / unit.length));

/** Runs `work` and fails when it takes a second or more: parsers must stay linear on hostile input. */
export async function finishesWithinASecond(work: () => unknown): Promise<void> {
  const started = performance.now();
  await work();
  expect(performance.now() - started).toBeLessThan(1_000);
}
