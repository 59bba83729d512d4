/**
 * Data-quality findings grouped by kind, most frequent kind first, each group collapsed with its count (a wide
 * table can have 492 "constant column" findings); a group's list is built when it is opened, and a group of many
 * findings gets its own filter box.
 */
import type { QualityFinding } from '../core/protocol';
import { el } from './dom';

const KIND_NAMES: Record<QualityFinding['kind'], string> = {
  missing_rate_jump: 'missing values jumped',
  out_of_range: 'values outside the baseline range',
  new_categories: 'new categories',
  constant_column: 'constant column',
  added_column: 'column not in the baseline',
  missing_column: 'column missing from the current data',
  non_numeric_values: 'non-numeric values in a numeric column',
};

const FILTER_FROM = 10;

export function qualityGroups(findings: QualityFinding[], open: Set<string>, onToggle: (kind: string, isOpen: boolean) => void): HTMLElement {
  const groups = new Map<string, QualityFinding[]>();
  for (const f of findings) groups.set(f.kind, [...(groups.get(f.kind) ?? []), f]);
  const sorted = [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
  const wrap = el('div', { id: 'quality-groups' });
  for (const [kind, items] of sorted) {
    const name = KIND_NAMES[kind as QualityFinding['kind']] ?? kind;
    const details = el('details', { class: 'qgroup', 'data-kind': kind, open: open.has(kind) }, el('summary', {}, el('span', { class: 'qcount' }, String(items.length)), ` ${name}`, el('code', { class: 'muted' }, `  ${kind}`)));
    const fill = () => {
      if (details.querySelector('ul')) return;
      const list = el('ul', {});
      const render = (q: string) => {
        list.replaceChildren(...items.filter((i) => !q || i.feature.toLowerCase().includes(q) || i.message.toLowerCase().includes(q)).map((i) => el('li', {}, el('span', { class: 'feature-name' }, i.feature), ': ', i.message)));
      };
      if (items.length >= FILTER_FROM) {
        const filter = el('input', { type: 'search', placeholder: `Filter ${items.length} findings…`, 'aria-label': `Filter ${name} findings` }) as HTMLInputElement;
        filter.addEventListener('input', () => render(filter.value.trim().toLowerCase()));
        details.appendChild(filter);
      }
      render('');
      details.appendChild(list);
    };
    if (open.has(kind)) fill();
    details.addEventListener('toggle', () => {
      if (details.open) fill();
      onToggle(kind, details.open);
    });
    wrap.appendChild(details);
  }
  return wrap;
}
