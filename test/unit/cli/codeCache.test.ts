import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheFileOf, requireCached } from '../../../src/core/util/codeCache';

/**
 * The CLI's V8 code cache (dist/cli.js loads dist/cliMain.js through it): a cache is used only for the bundle and
 * Node it was made for and only when intact; in every other case the bundle is compiled from source and gives the
 * same result, and a cache that cannot be written is no error.
 */
describe('cli/code cache of the bundle', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-code-cache-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** a bundle wrapped as esbuild.js writes the CLI's, using require, __dirname and a function compiled lazily */
  function writeBundle(file: string, answer: number): void {
    fs.writeFileSync(path.join(path.dirname(file), 'helper.js'), 'module.exports = (x) => x * 2;\n');
    const body = [
      '"use strict";',
      'const path = require("node:path");',
      'const helper = require("./helper.js");',
      'function lazy(n) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }',
      `exports.answer = () => helper(${answer}) + lazy(4);`,
      'exports.where = path.basename(__dirname) + "/" + path.basename(__filename);',
    ].join('\n');
    fs.writeFileSync(file, `(function (exports, require, module, __filename, __dirname) {\n${body}\n})\n`);
  }

  function load(file: string): { answer: number; where: string; usedCache: boolean; save: (key?: string) => void } {
    const b = requireCached(file, module);
    return { answer: (b.exports.answer as () => number)(), where: b.exports.where as string, usedCache: b.usedCache, save: b.saveCache };
  }

  it('compiles from source, writes the cache, then runs from it with the same result', () => {
    const file = path.join(fs.mkdtempSync(path.join(dir, 'a-')), 'bundle.js');
    writeBundle(file, 20);
    const first = load(file);
    assert.deepEqual([first.answer, first.usedCache], [46, false]);
    assert.equal(first.where, `${path.basename(path.dirname(file))}/bundle.js`);
    assert.equal(fs.existsSync(cacheFileOf(file)), false, 'written when saved (at exit), not while loading');
    first.save();
    assert.ok(fs.statSync(cacheFileOf(file)).size > 0);
    const second = load(file);
    assert.deepEqual([second.answer, second.where, second.usedCache], [46, first.where, true]);
  });

  it('does not use a cache made for another content of the bundle, and replaces it', () => {
    const file = path.join(fs.mkdtempSync(path.join(dir, 'b-')), 'bundle.js');
    writeBundle(file, 20);
    load(file).save();
    // same length, other code: only the file's identity (size, mtime, inode) tells them apart
    writeBundle(file, 30);
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(file, later, later);
    const changed = load(file);
    assert.deepEqual([changed.answer, changed.usedCache], [66, false]);
    changed.save();
    assert.deepEqual([load(file).answer, load(file).usedCache], [66, true]);
  });

  it('ignores a damaged or truncated cache file', () => {
    const file = path.join(fs.mkdtempSync(path.join(dir, 'c-')), 'bundle.js');
    writeBundle(file, 20);
    load(file).save();
    const cache = cacheFileOf(file);
    const good = fs.readFileSync(cache);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 100] ^= 0xff;
    for (const bad of [flipped, good.subarray(0, good.length - 1000), good.subarray(0, 10), Buffer.from('not a cache')]) {
      fs.writeFileSync(cache, bad);
      const r = load(file);
      assert.deepEqual([r.answer, r.usedCache], [46, false]);
    }
  });

  it('runs without a cache where none can be written', () => {
    const file = path.join(fs.mkdtempSync(path.join(dir, 'd-')), 'bundle.js');
    writeBundle(file, 20);
    fs.mkdirSync(cacheFileOf(file)); // a folder where the cache file would go: the rename fails
    const r = load(file);
    assert.doesNotThrow(() => r.save());
    assert.ok(fs.statSync(cacheFileOf(file)).isDirectory());
    assert.deepEqual([load(file).answer, load(file).usedCache], [46, false]);
    assert.deepEqual(
      fs.readdirSync(path.dirname(file)).filter((n) => n.endsWith('.tmp')),
      [],
      'no temporary file left behind',
    );
  });

  it('is written again by the first run of another command, with both commands in it, and not by repeats', () => {
    const file = path.join(fs.mkdtempSync(path.join(dir, 'f-')), 'bundle.js');
    writeBundle(file, 20);
    const cache = cacheFileOf(file);
    const written = (): number => fs.statSync(cache).ino; // written whole and renamed into place: a new inode each time
    load(file).save('drift');
    const first = written();
    const again = load(file);
    assert.equal(again.usedCache, true);
    again.save('drift');
    again.save();
    assert.equal(written(), first, 'a repeat of a command it holds, or no command, leaves it');
    const other = load(file);
    other.save('profile');
    const second = written();
    assert.notEqual(second, first, 'the first run of another command writes it');
    const both = load(file);
    assert.deepEqual([both.answer, both.usedCache], [46, true]);
    both.save('drift');
    both.save('profile');
    assert.equal(written(), second);
  });

  it('reads an ASCII bundle and one with other characters to the same text', () => {
    const ascii = path.join(fs.mkdtempSync(path.join(dir, 'g-')), 'bundle.js');
    const utf8 = path.join(fs.mkdtempSync(path.join(dir, 'h-')), 'bundle.js');
    fs.writeFileSync(ascii, '(function (exports, require, module, __filename, __dirname) {\nexports.s = "\\u2265 caf\\xE9";\n})\n');
    // a regular expression keeps its characters (esbuild.js warns); and one in a comment — ≥ café
    fs.writeFileSync(utf8, '(function (exports, require, module, __filename, __dirname) {\nexports.s = /≥ café/.source; // ≥ café\n})\n');
    for (const file of [ascii, utf8]) {
      const first = requireCached(file, module);
      assert.equal(first.exports.s, '≥ café');
      first.saveCache();
      const cached = requireCached(file, module);
      assert.deepEqual([cached.exports.s, cached.usedCache], ['≥ café', true]);
    }
  });

  it('refuses a file that is not a wrapped bundle, naming it', () => {
    const file = path.join(fs.mkdtempSync(path.join(dir, 'e-')), 'plain.js');
    fs.writeFileSync(file, 'exports.x = 1;\n'); // run as a script, it would fail on exports
    assert.throws(() => requireCached(file, module), /plain\.js is not a wrapped CommonJS bundle/);
  });
});
