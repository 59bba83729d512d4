/** collected by the suite, written next to the screenshots by index.ts, printed by run.sh */
export const results: {
  passes: string[];
  failures: Array<{ title: string; error: string }>;
  activation?: { totalMs: number; loadMs: number; activateMs: number; wallMs?: number; wasActive: boolean };
  responsiveness?: { maxEventLoopLagMs: number; pingBeforeTrainEndMs: number };
} = { passes: [], failures: [] };
