import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * The layering the code relies on, checked on the sources: no import cycle anywhere (type-only imports included),
 * drift is a leaf (it reads data and returns reports; registry, tracking and notifications are the pipeline's),
 * the model layer does not reach into drift, and protocol.ts imports nothing.
 */

const REPO = path.resolve(__dirname, '../../..');
const SRC = path.join(REPO, 'src');

/** every .ts file under a folder */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** the project files a source imports (relative imports, `import type` and re-exports included) */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .filter((i) => i.fileName.startsWith('.'))
    .map((i) => {
      const target = path.resolve(path.dirname(file), i.fileName);
      // a .ts module, a folder's index.ts, or a data file (package.json) named in full
      const found = [`${target}.ts`, path.join(target, 'index.ts'), target].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
      assert.ok(found, `${path.relative(REPO, file)} imports ${i.fileName}, which does not exist`);
      return found;
    });
}

export function importGraph(files: string[]): Map<string, string[]> {
  return new Map(files.map((f) => [f, importsOf(f)]));
}

/** strongly connected components with more than one file (or a self-import): the import cycles */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/**
 * Exported names nobody uses: not imported by any source, test or bench file and not referenced in their own
 * file either (a ts-prune-like check on the syntax trees; `import *` and `export *` count as using everything).
 */
export function deadExports(files: string[], checked: (file: string) => boolean): string[] {
  const exported = new Map<string, { names: Set<string>; local: Map<string, number> }>();
  const imported = new Map<string, Set<string>>();
  const use = (target: string, name: string): void => void (imported.get(target) ?? imported.set(target, new Set()).get(target)!).add(name);
  for (const file of files) {
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const names = new Set<string>();
    const local = new Map<string, number>();
    const resolveSpec = (spec: string): string | undefined => {
      const base = path.resolve(path.dirname(file), spec);
      return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
    };
    const count = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) local.set(n.text, (local.get(n.text) ?? 0) + 1);
      // a lazy require('./x'), import('./x') or `typeof import('./x')` may use any of the module's exports
      const lazy =
        ts.isCallExpression(n) && (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === 'require'))
          ? n.arguments[0]
          : ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument)
            ? n.argument.literal
            : undefined;
      if (lazy && ts.isStringLiteral(lazy) && lazy.text.startsWith('.')) {
        const target = resolveSpec(lazy.text);
        if (target) use(target, '*');
      }
      n.forEachChild(count);
    };
    sf.forEachChild((n) => {
      const mods = ts.canHaveModifiers(n) ? ts.getModifiers(n) : undefined;
      if (mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
        if (ts.isVariableStatement(n)) for (const d of n.declarationList.declarations) names.add(d.name.getText(sf));
        else if ('name' in n && n.name && ts.isIdentifier(n.name as ts.Node)) names.add((n.name as ts.Identifier).text);
      }
      const spec = (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier) ? n.moduleSpecifier.text : undefined;
      if (!spec?.startsWith('.')) return;
      const target = resolveSpec(spec);
      if (!target) return;
      if (ts.isImportDeclaration(n)) {
        const c = n.importClause;
        if (c?.name) use(target, 'default');
        const b = c?.namedBindings;
        if (b && ts.isNamespaceImport(b)) use(target, '*');
        if (b && ts.isNamedImports(b)) for (const e of b.elements) use(target, (e.propertyName ?? e.name).text);
      } else if (ts.isExportDeclaration(n)) {
        const c = n.exportClause;
        if (!c || !ts.isNamedExports(c)) use(target, '*');
        else for (const e of c.elements) use(target, (e.propertyName ?? e.name).text);
      }
    });
    count(sf);
    exported.set(file, { names, local });
  }
  const dead: string[] = [];
  for (const [file, { names, local }] of exported) {
    if (!checked(file)) continue;
    const used = imported.get(file) ?? new Set<string>();
    if (used.has('*')) continue;
    for (const name of names) if (!used.has(name) && (local.get(name) ?? 0) <= 1) dead.push(`${path.relative(REPO, file)}: ${name}`);
  }
  return dead;
}

/**
 * Where a file defines its own pseudo-random generator instead of using src/core/util/random.ts: a Math.imul mix
 * (mulberry32, splitmix, xorshift-multiply), a classic generator constant (LCG, PCG, mulberry32's increment), or,
 * in src, Math.random. `hashes` names files whose Math.imul is a hash, not a generator.
 */
export function prngDefinitions(files: string[], hashes: Set<string>, root = REPO): string[] {
  const generator = /\bMath\.imul\b|\b1103515245\b|\b6364136223846793005\b|\b0x6d2b79f5\b|\b0x9e3779b9\b/i;
  const found: string[] = [];
  for (const file of files) {
    const r = path.relative(root, file).split(path.sep).join('/');
    if (r === 'src/core/util/random.ts') continue;
    fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '');
      if ((generator.test(code) && !hashes.has(r)) || (r.startsWith('src/') && /\bMath\.random\b/.test(code))) found.push(`${r}:${i + 1}`);
    });
  }
  return found;
}

const rel = (f: string): string => path.relative(SRC, f);
const graph = importGraph(sources(SRC));

describe('architecture', () => {
  it('the cycle check finds a cycle when there is one', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    assert.deepEqual(importCycles(g).map((c) => [...c].sort()), [['a', 'b', 'c']]);
    assert.deepEqual(importCycles(new Map([['a', ['a']]])), [['a']]);
  });

  it('has no import cycle in src (type-only imports included)', () => {
    assert.ok(graph.size > 100, `${graph.size} sources read`);
    assert.deepEqual(importCycles(graph).map((c) => c.map(rel).sort().join(' → ')), []);
  });

  it('drift is a leaf: it imports only drift, data, util and the protocol', () => {
    const allowed = ['core/drift/', 'core/data/', 'core/util/', 'core/protocol.ts'];
    for (const [file, deps] of graph) {
      if (!rel(file).startsWith('core/drift/')) continue;
      for (const d of deps) assert.ok(allowed.some((a) => rel(d).startsWith(a)), `${rel(file)} imports ${rel(d)}`);
    }
  });

  it('has no dead exports in src (names exported and used nowhere)', () => {
    const all = ['src', 'test', 'bench'].flatMap((d) => sources(path.join(REPO, d)).filter((f) => !f.includes(`${path.sep}.work${path.sep}`)));
    // entry points called by their host, not imported: VS Code calls activate/deactivate
    const entryPoints = new Set(['src/extension/extension.ts: activate', 'src/extension/extension.ts: deactivate']);
    // protocol.ts is the contract for clients in any language: it declares names our own code may not use yet
    const protocol = path.join(SRC, 'core', 'protocol.ts');
    const dead = deadExports(all, (f) => f.startsWith(SRC + path.sep) && f !== protocol).filter((d) => !entryPoints.has(d) && !/: _/.test(d));
    assert.deepEqual(dead, []);
  });

  it('the dead-export check finds an unused export', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-dead-'));
    fs.writeFileSync(path.join(dir, 'a.ts'), 'export function used() {}\nexport function unused() {}\nexport const localOnly = 1;\nconst x = localOnly;\n');
    fs.writeFileSync(path.join(dir, 'b.ts'), "import { used } from './a';\nused();\n");
    assert.deepEqual(deadExports([path.join(dir, 'a.ts'), path.join(dir, 'b.ts')], () => true).map((d) => d.split(': ')[1]), ['unused']);
    // a lazy require() may use anything the module exports
    fs.writeFileSync(path.join(dir, 'c.ts'), "const { unused } = require('./a');\nunused();\n");
    assert.deepEqual(deadExports(['a.ts', 'b.ts', 'c.ts'].map((f) => path.join(dir, f)), () => true), []);
  });

  it('has one seeded PRNG: no file outside util/random.ts defines a generator, and src never calls Math.random', () => {
    const scripts = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === 'node_modules' || e.name === '.work' ? [] : scripts(p);
        return /\.(ts|js|mjs)$/.test(e.name) ? [p] : [];
      });
    // this file spells out the patterns it looks for
    const files = ['src', 'test', 'bench'].flatMap((d) => scripts(path.join(REPO, d))).filter((f) => f !== path.join(REPO, 'test/unit/architecture.test.ts'));
    assert.ok(files.length > 200, `${files.length} files read`);
    // murmur3 row hashes (holdout membership) mix with Math.imul too; they hash, they do not generate a stream
    assert.deepEqual(prngDefinitions(files, new Set(['src/core/model/rowHash.ts'])), []);
  });

  it('the PRNG check finds a home-made generator', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-prng-'));
    fs.mkdirSync(path.join(dir, 'src'));
    const write = (name: string, text: string): string => (fs.writeFileSync(path.join(dir, name), text), path.join(dir, name));
    const lcg = write('lcg.ts', 'let s = 1;\nexport const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;\n');
    const mul = write('mul.ts', '// a comment may say Math.imul\nexport const next = (t: number) => Math.imul(t ^ (t >>> 15), t | 1);\n');
    const unseeded = write('src/id.ts', 'export const id = () => Math.random().toString(36);\n');
    const testName = write('name.test.ts', 'const dir = `x-${Math.random()}`;\n');
    assert.deepEqual(prngDefinitions([lcg, mul, unseeded, testName], new Set(), dir), ['lcg.ts:2', 'mul.ts:2', 'src/id.ts:1']);
    assert.deepEqual(prngDefinitions([mul], new Set(['mul.ts']), dir), []);
  });

  it('the model layer does not import drift; protocol.ts imports nothing', () => {
    for (const [file, deps] of graph) {
      if (rel(file).startsWith('core/model/')) {
        for (const d of deps) assert.ok(!rel(d).startsWith('core/drift/'), `${rel(file)} imports ${rel(d)}`);
      }
    }
    assert.deepEqual(graph.get(path.join(SRC, 'core/protocol.ts')), []);
  });
});
