// node:test cannot skip a suite from `before`: a suite whose database may be missing
// declares its tests with this, and each one skips with the reason `skipped()` gives.
import { test } from 'node:test';

/** `test`, skipped with `skipped()`'s reason when it returns one. */
export const skippableTest =
  (skipped: () => string) =>
  (title: string, fn: () => Promise<void>): void => {
    void test(title, async (t) => {
      const reason = skipped();
      if (reason) {
        t.skip(reason);
        return;
      }
      await fn();
    });
  };
