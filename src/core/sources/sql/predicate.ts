import { DriftCatcherError } from '../../util/errors';

/**
 * `--where`: one SQL boolean expression over the table's columns, in the engine's own dialect, e.g.
 * `date >= '2001-02-01' AND date < '2001-03-01'`. It is inserted in exactly one place — `WHERE (<predicate>)` of a
 * read-only query the engine builds — and never concatenated with any other user string. So that it cannot end
 * the expression, start another statement or read another table, it is refused when it holds, outside string
 * literals: `;`, a comment (`--`, `/*`, `#`), unbalanced parentheses, a backslash, a statement keyword (SELECT,
 * UNION, INSERT, …) or a server-side function that reaches outside the table (pg_*, dblink, set_config, …). String
 * literals are `'…'` with `''` for a quote; quoted identifiers `"…"` or `` `…` ``.
 */
const FORBIDDEN_WORDS = new Set([
  'select', 'from', 'union', 'intersect', 'except', 'insert', 'update', 'delete', 'merge', 'upsert', 'replace',
  'drop', 'create', 'alter', 'truncate', 'grant', 'revoke', 'copy', 'attach', 'detach', 'pragma', 'call', 'exec',
  'execute', 'into', 'with', 'set', 'reset', 'load', 'install', 'export', 'import', 'vacuum', 'analyze', 'system',
  'kill', 'optimize', 'rename', 'settings', 'format', 'limit', 'offset', 'order', 'group', 'having', 'window',
  'returning', 'do', 'declare', 'begin', 'commit', 'rollback', 'checkpoint', 'use', 'show', 'describe', 'explain',
  'table', 'values', 'lateral', 'join',
]);
const FORBIDDEN_FUNCTION = /^(pg_|lo_|dblink|set_config|current_setting|getenv|query|sql|read_|file$|url$|remote|mysql|postgresql$|s3|hdfs|input$|generate_series$|sleep)/i;

export function checkPredicate(predicate: string, source: string): string {
  const fail = (why: string): never => {
    throw new DriftCatcherError(`${source}: --where refused: ${why}`, 'BAD_INPUT');
  };
  const p = predicate.trim();
  if (p.length === 0) fail('it is empty');
  if (p.length > 10_000) fail('it is longer than 10,000 characters');
  let depth = 0;
  let i = 0;
  const n = p.length;
  let lastWord = '';
  while (i < n) {
    const c = p[i];
    if (c === "'" || c === '"' || c === '`') {
      // a literal or quoted identifier: the same quote doubled stands for itself
      let j = i + 1;
      for (;;) {
        if (j >= n) fail(`the ${c === "'" ? 'string literal' : 'quoted name'} starting at character ${i + 1} is never closed`);
        if (p[j] === '\\') fail('backslashes are not accepted (write a quote inside a literal as two quotes)');
        if (p[j] === c) {
          if (p[j + 1] === c) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      i = j + 1;
      lastWord = '';
      continue;
    }
    if (c === ';') fail('a semicolon would end the statement');
    if (c === '\\') fail('backslashes are not accepted');
    if (c === '#' || (c === '-' && p[i + 1] === '-') || (c === '/' && p[i + 1] === '*') || (c === '*' && p[i + 1] === '/')) {
      fail('comments are not accepted');
    }
    if (c === '$' && /^\$[A-Za-z_0-9]*\$/.test(p.slice(i))) fail('dollar-quoted strings are not accepted');
    if (c === '(') {
      if (lastWord && FORBIDDEN_FUNCTION.test(lastWord)) fail(`the function ${lastWord}() is not allowed in a predicate`);
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth < 0) fail(`the ')' at character ${i + 1} closes a parenthesis that was never opened`);
    }
    if (/[\p{L}_]/u.test(c)) {
      let j = i + 1;
      while (j < n && /[\p{L}\p{N}_$]/u.test(p[j])) j++;
      const word = p.slice(i, j);
      if (FORBIDDEN_WORDS.has(word.toLowerCase())) fail(`the keyword ${word.toUpperCase()} is not allowed (one boolean expression over the table's columns only)`);
      lastWord = word;
      i = j;
      // a function name may be followed by blanks before its '('
      while (i < n && /\s/.test(p[i])) i++;
      if (p[i] !== '(') lastWord = '';
      continue;
    }
    if (!/\s/.test(c)) lastWord = '';
    i++;
  }
  if (depth !== 0) fail(`${depth} parenthesis${depth === 1 ? ' is' : 'es are'} never closed`);
  return p;
}
