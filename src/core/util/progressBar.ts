/**
 * A one-line progress bar on stderr for long reads. Silent when the stream is not a terminal, so logs
 * and pipes stay clean.
 */
export interface ProgressBar {
  (done: number, total: number): void;
  /** clears the line (call once, when done or on error) */
  finish(): void;
}

interface TtyLike {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

export function createProgressBar(label: string, stream: TtyLike = process.stderr): ProgressBar {
  const active = stream.isTTY === true;
  let lastPct = -1;
  let shown = false;
  const update = ((done: number, total: number) => {
    if (!active || !(total > 0)) return;
    const pct = Math.max(0, Math.min(100, Math.floor((done / total) * 100)));
    if (pct === lastPct) return;
    lastPct = pct;
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - 30));
    const filled = Math.round((pct / 100) * width);
    const mb = `${(done / 1e6).toFixed(0)}/${(total / 1e6).toFixed(0)} MB`;
    stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${mb}`);
    shown = true;
  }) as ProgressBar;
  update.finish = () => {
    if (active && shown) stream.write('\r\x1b[2K');
    shown = false;
  };
  return update;
}
