/**
 * Tiny DOM builders. Strings always enter the DOM as text nodes or attribute values (never parsed as
 * HTML): every CSV-derived name is safe to pass anywhere here.
 */

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  /** Attributes, set with setAttribute (values are never parsed as markup). */
  attrs?: Record<string, string | number | boolean | null | undefined>;
  /** Properties assigned directly (e.g. value, checked on custom elements). */
  props?: Record<string, unknown>;
  on?: Record<string, (ev: Event) => void>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K];
export function el(tag: string, props?: Props | null, ...children: Child[]): HTMLElement;
export function el(tag: string, props?: Props | null, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  if (props?.class) node.className = props.class;
  if (props?.attrs) {
    for (const [k, v] of Object.entries(props.attrs)) {
      if (v === null || v === undefined || v === false) continue;
      node.setAttribute(k, v === true ? '' : String(v));
    }
  }
  if (props?.props) Object.assign(node, props.props);
  if (props?.on) for (const [k, f] of Object.entries(props.on)) node.addEventListener(k, f);
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces all children of `parent`. */
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, ...children);
}

/** A plain table: header strings and rows of cells (strings become text). */
export function table(headers: Child[], rows: Child[][], className = 'll-table'): HTMLTableElement {
  return el(
    'table',
    { class: className },
    el('thead', null, el('tr', null, ...headers.map((h) => el('th', { attrs: { scope: 'col' } }, h)))),
    el('tbody', null, ...rows.map((r) => el('tr', null, ...r.map((c, i) => (i === 0 ? el('th', { attrs: { scope: 'row' } }, c) : el('td', null, c)))))),
  );
}

/** Name–value pairs as a definition list (<dl class="ll-facts">). */
export function facts(pairs: readonly (readonly [string, Child])[]): HTMLElement {
  return el('dl', { class: 'll-facts' }, ...pairs.flatMap(([k, v]) => [el('dt', null, k), el('dd', null, v)]));
}

let uid = 0;
export function uniqueId(prefix: string): string {
  return `${prefix}-${++uid}`;
}
