/**
 * A one-line progress bar on stderr for long operations (reads, drift checks, training). Silent when the stream
 * is not a terminal, so logs and pipes stay clean. The engine reports a percentage (or none, when unknown) and a
 * short message; the bar redraws only when what it shows changes.
 */
export interface ProgressBar {
  (percentage: number | undefined, message: string): void;
  /** clears the line (before other output, and when done) */
  clear(): void;
}

export interface TtyLike {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

export function createProgressBar(stream: TtyLike = process.stderr): ProgressBar {
  const active = stream.isTTY === true;
  let last = '';
  const draw = ((percentage: number | undefined, message: string) => {
    if (!active) return;
    const columns = stream.columns ?? 80;
    let line: string;
    if (percentage === undefined || !Number.isFinite(percentage)) {
      line = message;
    } else {
      const pct = Math.max(0, Math.min(100, Math.floor(percentage)));
      const width = Math.max(10, Math.min(30, columns - message.length - 10));
      const filled = Math.round((pct / 100) * width);
      line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${message}`;
    }
    line = line.slice(0, Math.max(10, columns - 1));
    if (line === last) return;
    last = line;
    stream.write(`\r\x1b[2K${line}`);
  }) as ProgressBar;
  draw.clear = () => {
    if (active && last) stream.write('\r\x1b[2K');
    last = '';
  };
  return draw;
}
