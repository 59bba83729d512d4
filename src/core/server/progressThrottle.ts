/**
 * Operations may report progress per batch or per tree; clients need a few updates a second at most.
 * Passes a report on when the whole percentage or the message changed, at most one every `minMs`.
 */
export function throttleProgress(
  send: (percentage: number | undefined, message: string) => void,
  minMs = 100,
  now: () => number = Date.now,
): (percentage: number | undefined, message: string) => void {
  let lastPct: number | undefined;
  let lastMsg: string | undefined;
  let lastAt = -Infinity;
  return (percentage, message) => {
    const pct = percentage === undefined || !Number.isFinite(percentage) ? undefined : Math.max(0, Math.min(100, Math.floor(percentage)));
    const t = now();
    if ((pct === lastPct && message === lastMsg) || t - lastAt < minMs) return;
    lastPct = pct;
    lastMsg = message;
    lastAt = t;
    send(pct, message);
  };
}
