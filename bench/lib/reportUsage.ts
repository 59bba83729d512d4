/**
 * Preloaded (`node -r`) into a measured Node process: on exit it writes the process's own CPU time and peak RSS
 * (all threads, workers included) as JSON to $BENCH_USAGE_FILE, so benchmarks need no external `time` tool.
 */
import * as fs from 'node:fs';

const target = process.env.BENCH_USAGE_FILE;
if (target) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    fs.writeFileSync(target, JSON.stringify({ cpu_s: (u.userCPUTime + u.systemCPUTime) / 1e6, peak_rss_mb: u.maxRSS / 1024 }));
  });
}
