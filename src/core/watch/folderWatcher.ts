import * as fs from 'node:fs';
import * as path from 'node:path';

export interface WatchOptions {
  /** absolute folders, already confined to the workspace */
  folders: string[];
  /** periodic scan, the fallback for file systems where fs.watch misses events */
  scanIntervalMs: number;
  /** how long a file's size must stay unchanged before it counts as fully written */
  settleMs: number;
  onNewFile(file: string): void;
  onError(message: string): void;
  /** which of the files present at start are already known (default: all of them); the others count as new */
  knownAtStart?: (file: string) => boolean;
}

/**
 * Watches incoming-batch folders for new CSV files. Files present at start are known unless `knownAtStart` says
 * otherwise (watch mode's saved state does: a batch that arrived while nothing watched is new). A new file is
 * reported once, after it has settled (same size on two looks `settleMs` apart), so a batch still being
 * copied is never checked half-written.
 */
export class FolderWatcher {
  private readonly known = new Set<string>();
  private readonly pending = new Map<string, number>(); // file -> size at the last look
  private readonly watchers: fs.FSWatcher[] = [];
  private scanTimer?: NodeJS.Timeout;
  private settleTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly opts: WatchOptions) {
    for (const dir of opts.folders) {
      for (const f of this.csvFiles(dir)) {
        if (opts.knownAtStart?.(f) ?? true) this.known.add(f);
        else this.pending.set(f, -1);
      }
    }
    for (const dir of opts.folders) {
      try {
        const w = fs.watch(dir, () => this.scan());
        w.on('error', (e) => opts.onError(`watching ${dir} failed: ${e.message}`));
        this.watchers.push(w);
      } catch (e) {
        opts.onError(`cannot watch ${dir}: ${(e as Error).message} (the periodic scan still runs)`);
      }
    }
    this.scanTimer = setInterval(() => this.scan(), opts.scanIntervalMs);
    this.scanTimer.unref();
    if (this.pending.size) this.settleTimer = setTimeout(() => this.settle(), opts.settleMs);
  }

  close(): void {
    this.closed = true;
    for (const w of this.watchers) w.close();
    clearInterval(this.scanTimer);
    clearTimeout(this.settleTimer);
  }

  /** look for files not seen before; start settling them */
  scan(): void {
    if (this.closed) return;
    for (const dir of this.opts.folders) {
      for (const f of this.csvFiles(dir)) {
        if (this.known.has(f) || this.pending.has(f)) continue;
        this.pending.set(f, -1);
      }
    }
    if (this.pending.size && !this.settleTimer) this.settleTimer = setTimeout(() => this.settle(), this.opts.settleMs);
  }

  private settle(): void {
    this.settleTimer = undefined;
    if (this.closed) return;
    for (const [f, lastSize] of [...this.pending]) {
      let size: number;
      try {
        size = fs.statSync(f).size;
      } catch {
        this.pending.delete(f); // gone again (moved away, temp file)
        continue;
      }
      if (size === lastSize && size > 0) {
        this.pending.delete(f);
        this.known.add(f);
        this.opts.onNewFile(f);
      } else {
        this.pending.set(f, size);
      }
    }
    if (this.pending.size) this.settleTimer = setTimeout(() => this.settle(), this.opts.settleMs);
  }

  private csvFiles(dir: string): string[] {
    try {
      return fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isFile() && d.name.toLowerCase().endsWith('.csv') && !d.name.startsWith('.'))
        .map((d) => path.join(dir, d.name));
    } catch {
      return []; // folder not there yet: it may be created later
    }
  }
}
