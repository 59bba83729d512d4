/**
 * A virtualised data table for thousands of rows (a 1,500-column table has 1,500 features): only the rows in view
 * are in the DOM, every column sorts (click its header; again to reverse), a filter box narrows by name, and a count
 * says "showing N of M". Positions are set through the CSSOM (the webview's CSP forbids inline style attributes).
 */
import { el } from './dom';

export interface Column<T> {
  key: string;
  label: string;
  /** the sort value; undefined sorts last */
  value: (row: T) => number | string | undefined;
  /** the cell's content (text or an element); default: the value as text */
  cell?: (row: T) => Node | string;
  numeric?: boolean;
  /** CSS grid track, e.g. "minmax(12em, 3fr)" */
  width?: string;
  title?: string;
}

export interface TableView {
  sort: string;
  dir: 1 | -1;
  filter: string;
  /** extra predicate toggled by the caller's checkbox (e.g. drifted only) */
  onlyFlagged: boolean;
}

export interface TableOptions<T> {
  id: string;
  rows: T[];
  columns: Column<T>[];
  /** the text the filter box matches (case-insensitive substring) */
  name: (row: T) => string;
  view: TableView;
  onView: (v: TableView) => void;
  /** a checkbox label for `onlyFlagged`, and what it keeps */
  flag?: { label: string; keep: (row: T) => boolean };
  selected?: string;
  onSelect?: (row: T) => void;
  /** noun for the count: "features" */
  noun: string;
  maxHeight?: number;
}

const ROW = 24;
const OVERSCAN = 8;

export function virtualTable<T>(o: TableOptions<T>): HTMLElement {
  const template = o.columns.map((c) => c.width ?? (c.numeric ? 'minmax(5em, 1fr)' : 'minmax(10em, 3fr)')).join(' ');
  const body = el('div', { class: 'vbody', id: `${o.id}-body`, tabindex: 0 });
  const spacer = el('div', { class: 'vspacer' });
  const count = el('span', { class: 'muted vcount', id: `${o.id}-count`, 'aria-live': 'polite' });
  const filter = el('input', { type: 'search', class: 'vfilter', id: `${o.id}-filter`, placeholder: `Filter ${o.noun} by name…`, 'aria-label': `Filter ${o.noun}`, value: o.view.filter });
  // the header scrolls with the body horizontally and sticks to its top, so columns always line up
  const header = el('div', { class: 'vrow vhead', role: 'row' });
  header.style.gridTemplateColumns = template;
  body.append(header, spacer);

  let shown: T[] = [];
  const apply = () => {
    const q = o.view.filter.trim().toLowerCase();
    const col = o.columns.find((c) => c.key === o.view.sort) ?? o.columns[0];
    shown = o.rows.filter((r) => (!q || o.name(r).toLowerCase().includes(q)) && (!o.view.onlyFlagged || !o.flag || o.flag.keep(r)));
    const dir = o.view.dir;
    shown.sort((a, b) => compare(col.value(a), col.value(b), dir));
    count.textContent = `showing ${shown.length} of ${o.rows.length} ${o.noun}`;
    spacer.style.height = `${shown.length * ROW}px`;
    body.style.height = `${Math.min(o.maxHeight ?? 440, (Math.max(1, shown.length) + 1) * ROW + 2)}px`;
    for (const h of Array.from(header.children)) {
      const key = (h as HTMLElement).dataset.key;
      h.setAttribute('aria-sort', key === col.key ? (dir === 1 ? 'ascending' : 'descending') : 'none');
    }
    paint(true);
  };

  let painted = '';
  const paint = (force = false) => {
    const first = Math.max(0, Math.floor(body.scrollTop / ROW) - 1 - OVERSCAN);
    const last = Math.min(shown.length, Math.ceil((body.scrollTop + (body.clientHeight || 440)) / ROW) + OVERSCAN);
    const key = `${first}:${last}`;
    if (!force && key === painted) return;
    painted = key;
    for (const r of Array.from(body.querySelectorAll('.vrow:not(.vhead)'))) r.remove();
    for (let i = first; i < last; i++) body.appendChild(rowEl(shown[i], i));
  };

  const rowEl = (row: T, i: number): HTMLElement => {
    const name = o.name(row);
    const tr = el('div', { class: `vrow${name === o.selected ? ' selected' : ''}`, role: 'row', 'aria-rowindex': i + 2, tabindex: -1, 'data-name': name });
    tr.style.gridTemplateColumns = template;
    tr.style.top = `${(i + 1) * ROW}px`; // below the sticky header
    for (const c of o.columns) {
      const content = c.cell ? c.cell(row) : String(c.value(row) ?? '—');
      tr.appendChild(el('div', { class: `vcell${c.numeric ? ' num' : ''}${c.key === 'name' ? ' feature-name' : ''}`, role: 'cell', title: typeof content === 'string' && c.key === 'name' ? content : undefined }, content));
    }
    if (o.onSelect) {
      tr.addEventListener('click', () => o.onSelect!(row));
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') o.onSelect!(row);
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          const next = i + (e.key === 'ArrowDown' ? 1 : -1);
          if (next < 0 || next >= shown.length) return;
          body.scrollTop = Math.max(0, Math.min(body.scrollTop, next * ROW), (next + 2) * ROW - body.clientHeight);
          paint();
          (body.querySelector(`.vrow[aria-rowindex="${next + 2}"]`) as HTMLElement | null)?.focus();
        }
      });
    }
    return tr;
  };

  for (const c of o.columns) {
    const h = el('button', { class: `vcell vth${c.numeric ? ' num' : ''}`, role: 'columnheader', 'data-key': c.key, title: c.title ?? `Sort by ${c.label}` }, c.label);
    h.addEventListener('click', () => {
      o.view = { ...o.view, sort: c.key, dir: o.view.sort === c.key ? ((-o.view.dir) as 1 | -1) : c.numeric ? -1 : 1 };
      o.onView(o.view);
      apply();
    });
    header.appendChild(h);
  }
  filter.addEventListener('input', () => {
    o.view = { ...o.view, filter: filter.value };
    o.onView(o.view);
    body.scrollTop = 0;
    apply();
  });
  body.addEventListener('scroll', () => requestAnimationFrame(() => paint()));

  let flagBox: HTMLElement | null = null;
  if (o.flag) {
    const box = el('input', { type: 'checkbox', id: `${o.id}-flagged`, checked: o.view.onlyFlagged });
    box.addEventListener('change', () => {
      o.view = { ...o.view, onlyFlagged: (box as HTMLInputElement).checked };
      o.onView(o.view);
      body.scrollTop = 0;
      apply();
    });
    flagBox = el('label', { class: 'vflag' }, box, ` ${o.flag.label}`);
  }

  const table = el('div', { class: 'vtable', id: o.id, role: 'table', 'aria-rowcount': o.rows.length + 1 }, body);
  const wrap = el('div', {}, el('div', { class: 'row' }, filter, flagBox, count), table);
  apply();
  // the first paint needs the body's real height, known once it is in the document
  requestAnimationFrame(() => paint(true));
  return wrap;
}

function compare(a: number | string | undefined, b: number | string | undefined, dir: 1 | -1): number {
  const missing = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isNaN(v));
  if (missing(a) || missing(b)) return missing(a) ? (missing(b) ? 0 : 1) : -1;
  if (typeof a === 'number' && typeof b === 'number') return (a - b) * dir;
  return String(a).localeCompare(String(b)) * dir;
}
