/** collected by the suite, written next to the screenshots by index.ts, printed by run.sh */
export const results: {
  passes: string[];
  failures: Array<{ title: string; error: string }>;
  activation?: { totalMs: number; activateMs: number; wasActive: boolean };
} = { passes: [], failures: [] };
