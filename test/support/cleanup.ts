import { afterEach } from 'vitest';

export interface Cleanup {
  push(step: () => unknown): void;
}

/** Steps a test registers (servers to stop, files to remove), run after it, the last registered first. */
export function cleanupAfterEach(): Cleanup {
  const steps: (() => unknown)[] = [];
  afterEach(async () => {
    for (const step of steps.splice(0).reverse()) await step();
  });
  return {
    push(step) {
      steps.push(step);
    },
  };
}
