/**
 * Warnings for training data too small to trust its metrics: the 20 % test split of 10 rows is 2 rows, and an
 * accuracy of 1.0 on 2 rows says nothing. Training still runs (a tiny model may be what someone wants to try);
 * the result says how small the evidence is.
 */

/** fewer rows of a class than this and its precision/recall rest on a handful of test rows */
export const MIN_ROWS_PER_CLASS = 30;
/** a test split smaller than this moves accuracy by more than 1 point per row */
export const MIN_TEST_ROWS = 100;

export function smallSampleWarnings(y: Int32Array, classes: string[], testRows: number): string[] {
  const counts = new Array<number>(classes.length).fill(0);
  for (const c of y) counts[c]++;
  const warnings: string[] = [];
  const small = classes.map((name, k) => ({ name, n: counts[k] })).filter((c) => c.n < MIN_ROWS_PER_CLASS);
  if (small.length) {
    warnings.push(
      `too few rows per class to trust the metrics: ${small.map((c) => `'${c.name}' has ${c.n}`).join(', ')} (at least ${MIN_ROWS_PER_CLASS} per class are needed)`,
    );
  }
  if (testRows < MIN_TEST_ROWS) {
    warnings.push(`the metrics come from a test split of only ${testRows} row${testRows === 1 ? '' : 's'} (one row moves accuracy by ${(100 / Math.max(1, testRows)).toFixed(1)} points)`);
  }
  return warnings;
}
