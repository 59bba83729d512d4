/**
 * A searchable combobox: type to filter (substring, case-insensitive), arrows and Enter to pick, Escape to close.
 * Lists of 1,500 names stay fast: at most LIMIT matches are in the DOM, with a "type to narrow" line for the rest.
 * The list sits in the page flow below the input, so the webview's bottom edge never clips it.
 */
import { el } from './dom';

const LIMIT = 100;

export interface ComboOptions {
  id: string;
  label: string;
  items: string[];
  value?: string;
  /** shown after each item, e.g. "PSI 0.42" */
  detail?: (item: string) => string;
  onPick: (item: string) => void;
  disabled?: boolean;
}

export function combobox(o: ComboOptions): HTMLElement {
  const listId = `${o.id}-list`;
  const input = el('input', {
    id: o.id,
    role: 'combobox',
    'aria-label': o.label,
    'aria-expanded': 'false',
    'aria-controls': listId,
    'aria-autocomplete': 'list',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: `${o.label} (type to search ${o.items.length})`,
    value: o.value ?? '',
    disabled: o.disabled,
  }) as HTMLInputElement;
  const list = el('ul', { id: listId, role: 'listbox', 'aria-label': o.label, hidden: true });
  let matches: string[] = [];
  let active = -1;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    active = -1;
  };
  const pick = (item: string) => {
    input.value = item;
    close();
    o.onPick(item);
  };
  const open = () => {
    const q = input.value === o.value ? '' : input.value.trim().toLowerCase(); // the current value shows everything
    matches = q ? o.items.filter((i) => i.toLowerCase().includes(q)) : o.items;
    list.replaceChildren();
    matches.slice(0, LIMIT).forEach((item, i) => {
      const li = el('li', { role: 'option', id: `${o.id}-opt-${i}`, 'aria-selected': i === active ? 'true' : 'false', 'data-value': item }, item.trim() || item, o.detail ? el('span', { class: 'muted' }, `  ${o.detail(item)}`) : null);
      li.addEventListener('mousedown', (e) => {
        e.preventDefault(); // keep focus in the input until the pick
        pick(item);
      });
      list.appendChild(li);
    });
    if (!matches.length) list.appendChild(el('li', { class: 'more', role: 'presentation' }, 'no match'));
    else if (matches.length > LIMIT) list.appendChild(el('li', { class: 'more', role: 'presentation' }, `${matches.length - LIMIT} more — type to narrow`));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  };
  const move = (delta: number) => {
    if (list.hidden) open();
    const n = Math.min(matches.length, LIMIT);
    if (!n) return;
    active = (active + delta + n) % n;
    for (const li of Array.from(list.querySelectorAll('li[role="option"]'))) li.setAttribute('aria-selected', li.id === `${o.id}-opt-${active}` ? 'true' : 'false');
    const cur = list.querySelector(`#${CSS.escape(`${o.id}-opt-${active}`)}`);
    input.setAttribute('aria-activedescendant', cur?.id ?? '');
    cur?.scrollIntoView({ block: 'nearest' });
  };

  input.addEventListener('focus', () => {
    input.select();
    open();
  });
  input.addEventListener('input', () => {
    active = -1;
    open();
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      move(e.key === 'ArrowDown' ? 1 : -1);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const item = matches[active >= 0 ? active : 0];
      if (item !== undefined) pick(item);
    } else if (e.key === 'Escape') {
      input.value = o.value ?? '';
      close();
    } else if (e.key === 'End' || e.key === 'Home' || e.key === 'PageDown' || e.key === 'PageUp') {
      e.stopPropagation(); // keys move the caret in the box, never scroll the page
    }
  });
  return el('div', { class: 'combo' }, input, list);
}
