/**
 * The benchmark harness: every `bench/*.bench.ts` calls `bench({...})`. It parses the options `bench/run.js`
 * passes (--quick, --runs N), repeats each measurement (sides of a comparison interleaved run by run), keeps
 * generated data in bench/.work/data, and writes bench/results/<name>.json and <name>.md with the machine, its
 * load, the median and spread (min–max) of every figure, and the checks against the targets.
 * Quick mode (small inputs, to check a script works) writes to bench/.work/quick-results instead, so a quick
 * run can never be committed as a result. See bench/README.md.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../../src/core/util/atomicWrite';
import { oracleVersions } from '../../test/oracles/oracle';
import { measureNode, measureOracle, type Measured, type ProcessSample } from './process';
import { summarizeSamples, type Sample, type Stat, type Stats } from './stats';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
const MIN_RUNS = 3;

/** The code that generates the benches' inputs (the benches' own small helpers, like repeating a file, aside). */
const GENERATOR_SOURCES = ['src/core/data/demoData.ts', 'src/core/util/random.ts', 'src/core/data/csvWriter.ts', 'bench/lib/mixedTable.ts'];

/**
 * `file`, made by `make` unless it is there with the stamp `<file>.made-by` of the same `fingerprint`: a file made by
 * an older generator (other rows, other columns) would otherwise be measured as if it were today's data.
 */
export async function cachedData(file: string, fingerprint: string, make: (file: string) => Promise<void>): Promise<string> {
  const stamp = `${file}.made-by`;
  const made = fs.existsSync(file) && fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8') : undefined;
  if (made !== fingerprint) {
    log(`generating ${path.relative(ROOT, file)}${fs.existsSync(file) ? ' (made by another version of its generator)' : ''}`);
    const tmp = `${file}.tmp-${process.pid}`;
    await make(tmp);
    fs.renameSync(tmp, file);
    writeFileAtomic(stamp, fingerprint);
  }
  return file;
}

/** sha256 over the generator sources, one per process (they do not change while a bench runs) */
let generatorHash: string | undefined;
function generatorFingerprint(): string {
  if (generatorHash === undefined) {
    const h = createHash('sha256');
    for (const rel of GENERATOR_SOURCES) h.update(rel).update('\0').update(fs.readFileSync(path.join(ROOT, rel))).update('\0');
    generatorHash = h.digest('hex');
  }
  return generatorHash;
}

export interface BenchSpec {
  /** results file name: bench/results/<name>.json and .md */
  name: string;
  title: string;
  /** what is measured on which data, and how: the opening paragraph of the .md */
  description: string;
  run(b: BenchContext): Promise<void>;
  /** `node out/bench/<file>.bench.js --child NAME ARGS…` runs children[NAME](ARGS) and prints its JSON result */
  children?: Record<string, (args: string[]) => Promise<unknown>>;
}

export interface BenchOptions {
  quick: boolean;
  runs: number;
}

export function parseBenchOptions(argv: string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const i = argv.indexOf('--runs');
  const runs = i >= 0 ? Number(argv[i + 1]) : MIN_RUNS;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs needs a whole number ≥ 1, got ${argv[i + 1]}`);
  if (!quick && runs < MIN_RUNS) throw new Error(`a full run repeats every measurement at least ${MIN_RUNS} times (--runs ${runs}); use --quick to try a script`);
  return { quick, runs };
}

export interface Check {
  what: string;
  ok: boolean;
  detail: string;
}

export class BenchContext {
  readonly quick: boolean;
  readonly runs: number;
  readonly dataDir: string;
  readonly sections: string[][] = [];
  readonly checks: Check[] = [];
  readonly results: Record<string, unknown> = {};
  readonly oracles = new Set<string>();
  readonly packages: Record<string, string> = {};

  constructor(
    readonly spec: BenchSpec,
    opts: BenchOptions,
    private readonly script: string,
  ) {
    this.quick = opts.quick;
    this.runs = opts.runs;
    this.dataDir = path.join(ROOT, 'bench', '.work', 'data', opts.quick ? 'quick' : 'full');
    fs.mkdirSync(this.dataDir, { recursive: true });
  }

  /** `full` in a full run, `quick` in quick mode (input sizes). */
  size<T>(full: T, quick: T): T {
    return this.quick ? quick : full;
  }

  /**
   * A generated input file, made once by `make` and cached across runs (bench/.work/data) while the generators are
   * the code that made it (cachedData).
   */
  data(fileName: string, make: (file: string) => Promise<void>): Promise<string> {
    return cachedData(path.join(this.dataDir, fileName), generatorFingerprint(), make);
  }

  /**
   * Runs every side `runs` times, interleaved (a, b, a, b, …) so that a change of load on the shared machine
   * hits all sides alike; returns each side's metrics summarized (median, min–max).
   */
  async compare<K extends string>(label: string, sides: Record<K, () => Promise<Sample>>): Promise<Record<K, Stats>> {
    const names = Object.keys(sides) as K[];
    const samples = Object.fromEntries(names.map((n) => [n, [] as Sample[]])) as Record<K, Sample[]>;
    for (let r = 0; r < this.runs; r++) {
      for (const n of names) {
        log(`${label}: ${n} (run ${r + 1}/${this.runs})`);
        samples[n].push(await sides[n]());
      }
    }
    const out = Object.fromEntries(names.map((n) => [n, summarizeSamples(samples[n])])) as Record<K, Stats>;
    this.results[label] = out;
    return out;
  }

  /** `compare` with a single side. */
  async repeat(label: string, fn: () => Promise<Sample>): Promise<Stats> {
    return (await this.compare(label, { only: fn })).only;
  }

  /** Runs this bench file's child `name` in its own measured Node process. */
  child<T>(name: string, args: string[]): Promise<Measured<T>> {
    return measureNode<T>(this.script, ['--child', name, ...args]);
  }

  /** Any Node script (e.g. the bundled CLI) in its own measured process. */
  node<T>(script: string, args: string[]): Promise<Measured<T>> {
    return measureNode<T>(script, args);
  }

  /** A Python oracle (test/oracles) in its own measured process. */
  oracle<T>(script: string, command: string, request: object): Promise<Measured<T>> {
    this.oracles.add(script);
    return measureOracle<T>(script, command, request);
  }

  /** Records an npm package's installed version in the report (the packages a bench compares against). */
  packageVersion(name: string): string {
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    this.packages[name] = version;
    return version;
  }

  /** A markdown section of the report: a heading, a table, and notes below it. */
  table(title: string, header: string[], rows: string[][], notes: string[] = []): void {
    const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
    this.sections.push([`## ${title}`, '', `| ${header.join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`), '', ...notes]);
  }

  check(what: string, ok: boolean, detail: string): void {
    this.checks.push({ what, ok, detail });
  }

  /** Anything else worth keeping in the JSON. */
  record(key: string, value: unknown): void {
    this.results[key] = value;
  }
}

/** Process metrics of a measured run, plus extra figures from its output. */
export function sampleOf(m: { sample: ProcessSample }, extra: Sample = {}): Sample {
  return { ...m.sample, ...extra };
}

// ---------- formatting ----------

/** "3.03 (2.95–3.20)": the median and, when runs differ, the min–max spread. */
export function fmtStat(s: Stat | undefined, digits = 2): string {
  if (!s) return '–';
  const f = (v: number) => fmtNumber(v, digits);
  return s.min === s.max ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}

export function fmtNumber(v: number, digits = 2): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1e4) return Math.round(v).toLocaleString('en-US');
  // keep two significant digits for small values (1.4, not 1)
  const need = v === 0 ? 0 : Math.max(digits, 1 - Math.floor(Math.log10(Math.abs(v))));
  return v.toFixed(Math.min(need, 6));
}

function log(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

// ---------- machine and report ----------

function machineInfo(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cpus: os.availableParallelism(),
    cpu_model: cpus[0]?.model ?? 'unknown',
    memory_gb: +(os.totalmem() / 1024 ** 3).toFixed(1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

const loadavg = (): number[] => os.loadavg().map((v) => +v.toFixed(2));

function writeReport(b: BenchContext, started: { at: string; load: number[] }): string {
  const machine = machineInfo();
  // versions only: the interpreter's path says nothing about the figures and names this machine's layout
  const python = [...b.oracles].reduce<Record<string, string | null>>((acc, s) => {
    const { executable: _path, ...versions } = oracleVersions(s);
    return { ...acc, ...versions };
  }, {});
  const load = { start: started.load, end: loadavg() };
  const busy = Math.max(load.start[0], load.end[0]) > 0.5 * (machine.cpus as number);
  const dir = path.join(ROOT, 'bench', b.quick ? path.join('.work', 'quick-results') : 'results');
  const json = {
    name: b.spec.name,
    title: b.spec.title,
    mode: b.quick ? 'quick' : 'full',
    runs: b.runs,
    started_at: started.at,
    finished_at: new Date().toISOString(),
    machine,
    load_average_1m: load,
    versions: { ...python, ...b.packages },
    results: b.results,
    checks: b.checks,
  };
  const versions = Object.entries(json.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const md = [
    `# ${b.spec.title}`,
    '',
    ...(b.quick ? ['**Quick mode: tiny inputs, to check that the script works. These figures mean nothing.**', ''] : []),
    b.spec.description,
    '',
    `Machine: ${machine.cpus} cores (${machine.cpu_model}), ${machine.memory_gb} GB, ${machine.os}; Node ${machine.node}${versions ? `; ${versions}` : ''}.`,
    `Every figure is the median of ${b.runs} runs with the spread (min–max) in parentheses; the sides of a comparison ran interleaved, run by run. ` +
      `Load average (1 min) ${load.start[0]} at the start, ${load.end[0]} at the end${busy ? ' — **the machine was busy: wall times are not representative**' : ''}.`,
    `Run \`npm run bench -- ${b.spec.name}\` to reproduce (${started.at.slice(0, 10)}).`,
    '',
    ...b.sections.flatMap((s) => [...s, '']),
    ...(b.checks.length ? ['## Targets', '', ...b.checks.map((c) => `- ${c.ok ? 'met' : '**missed**'}: ${c.what} — ${c.detail}`), ''] : []),
  ].join('\n');
  writeJsonAtomic(path.join(dir, `${b.spec.name}.json`), json);
  writeFileAtomic(path.join(dir, `${b.spec.name}.md`), md);
  return dir;
}

/** Entry point of a bench file: runs a child mode, or the benchmark and its report. */
export function bench(spec: BenchSpec): void {
  const script = require.main?.filename ?? process.argv[1];
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    const child = spec.children?.[argv[1]];
    if (!child) fail(`${spec.name}: no child mode '${argv[1]}'`);
    child(argv.slice(2)).then((r) => process.stdout.write(JSON.stringify(r) + '\n'), fail);
    return;
  }
  let opts: BenchOptions;
  try {
    opts = parseBenchOptions(argv);
  } catch (e) {
    return fail(e);
  }
  const b = new BenchContext(spec, opts, script);
  const started = { at: new Date().toISOString(), load: loadavg() };
  spec
    .run(b)
    .then(() => {
      const dir = writeReport(b, started);
      log(`wrote ${path.relative(ROOT, path.join(dir, spec.name))}.json and .md`);
    })
    .catch(fail);
}

function fail(e: unknown): never {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
}
