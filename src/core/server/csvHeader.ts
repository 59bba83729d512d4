/**
 * Header cells of a CSV's first line with their character positions, for diagnostics and hover on line 0.
 * Handles RFC 4180 quoting (`"a,b"`, `"say ""hi"""`) and padding spaces (CICIDS2017's ` Flow Duration`):
 * `name` is the unquoted cell text as the file spells it, `trimmed` the name without padding,
 * [start, end) the whole cell between separators, [nameStart, nameEnd) the visible name (quotes
 * included, padding excluded) — the range a diagnostic underlines.
 */
export interface HeaderCell {
  index: number;
  name: string;
  trimmed: string;
  start: number;
  end: number;
  nameStart: number;
  nameEnd: number;
}

export function headerCells(line: string, delimiter = ','): HeaderCell[] {
  const text = line; // offsets stay those of the editor's line; a BOM is skipped, not removed
  const cells: HeaderCell[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const eol = lineEnd(text);
  for (let index = 0; ; index++) {
    const start = i;
    let name = '';
    // leading padding before an opening quote
    let j = i;
    while (j < eol && text[j] === ' ') j++;
    if (j < eol && text[j] === '"') {
      let k = j + 1;
      for (; k < eol; k++) {
        if (text[k] === '"') {
          if (text[k + 1] === '"') {
            name += '"';
            k++;
          } else break;
        } else name += text[k];
      }
      const closeQuote = Math.min(k, eol - 1);
      let end = k + 1;
      while (end < eol && text[end] !== delimiter) end++;
      cells.push({ index, name, trimmed: name.trim(), start, end: Math.min(end, eol), nameStart: j, nameEnd: closeQuote + 1 });
      i = end;
    } else {
      let end = i;
      while (end < eol && text[end] !== delimiter) end++;
      name = text.slice(i, end);
      const lead = name.length - name.trimStart().length;
      const trail = name.length - name.trimEnd().length;
      const nameStart = i + lead;
      const nameEnd = Math.max(nameStart, end - trail);
      cells.push({ index, name, trimmed: name.trim(), start, end, nameStart, nameEnd });
      i = end;
    }
    if (i >= eol) break;
    i++; // the delimiter
  }
  return cells;
}

function lineEnd(s: string): number {
  const n = s.indexOf('\n');
  const end = n < 0 ? s.length : n;
  return end > 0 && s[end - 1] === '\r' ? end - 1 : end;
}

/** the cell under a character offset of line 0 (a cursor right after a cell's last character still counts) */
export function cellAt(cells: HeaderCell[], character: number): HeaderCell | undefined {
  return cells.find((c) => character >= c.start && character <= c.end);
}

/**
 * The header cell that carries a feature: an exact match first (the engine keeps names as the file spells
 * them), else a match without padding.
 */
export function cellForFeature(cells: HeaderCell[], feature: string): HeaderCell | undefined {
  return cells.find((c) => c.name === feature) ?? cells.find((c) => c.trimmed === feature.trim());
}
