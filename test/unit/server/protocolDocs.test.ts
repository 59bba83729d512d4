import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Methods, Notifications, ServerRequests } from '../../../src/core/protocol';

/**
 * docs/protocol.md is the contract for clients in other languages: every request, notification and server request
 * that protocol.ts declares is documented there, and the Methods section documents nothing protocol.ts lacks.
 */

const DOC = path.resolve(__dirname, '../../../../docs/protocol.md');

/** the text of a `## title` section, up to the next `## ` heading */
function section(markdown: string, title: string): string {
  const start = markdown.search(new RegExp(`^## ${title}\\b`, 'm'));
  assert.ok(start >= 0, `docs/protocol.md has no "## ${title}" section`);
  const next = markdown.slice(start + 3).search(/^## /m);
  return next < 0 ? markdown.slice(start) : markdown.slice(start, start + 3 + next);
}

/** names documented as `### \`name\`` headings (Methods) or as a table row's first cell (the other sections) */
function documented(text: string): Set<string> {
  const names = [...text.matchAll(/^### `([^`]+)`/gm), ...text.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]);
  return new Set(names);
}

const missing = (declared: Record<string, string>, doc: Set<string>): string[] => Object.values(declared).filter((m) => !doc.has(m));

describe('docs/protocol.md against protocol.ts', () => {
  const md = fs.readFileSync(DOC, 'utf8');

  it('documents every request method, and no method protocol.ts does not declare', () => {
    const doc = documented(section(md, 'Methods'));
    assert.deepEqual(missing(Methods, doc), []);
    const declared = new Set<string>(Object.values(Methods));
    assert.deepEqual([...doc].filter((m) => m.startsWith('driftcatcher/') && !declared.has(m)), []);
  });

  it('documents every notification and every request the server sends the client', () => {
    assert.deepEqual(missing(Notifications, documented(section(md, 'Notifications'))), []);
    assert.deepEqual(missing(ServerRequests, documented(section(md, 'Requests from the server'))), []);
  });

  it('the check notices an undocumented method', () => {
    const doc = documented(section('# P\n## Methods\n### `driftcatcher/ping`\n## Notifications\n| `driftcatcher/log` | … |\n', 'Methods'));
    assert.deepEqual(missing({ ping: 'driftcatcher/ping', train: 'driftcatcher/train' }, doc), ['driftcatcher/train']);
    assert.ok(!doc.has('driftcatcher/log'), 'a section ends at the next ## heading');
  });
});
