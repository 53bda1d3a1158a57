/**
 * Typed wrappers for the @vscode-elements components the panels build: their `value`, `checked` and
 * `selectedIndex` are properties the DOM typings do not know, so the casts live here, once. Every
 * wrapper builds through el() (strings become text or attribute values, never markup) and takes
 * `attrs` for ids, data-* and ARIA attributes.
 */
import { el, type Child, type Props } from './dom';

export type SingleSelect = HTMLElement & { value: string; disabled: boolean };
export type MultiSelect = HTMLElement & { value: string[] };
export type Checkbox = HTMLElement & { checked: boolean; disabled: boolean };
export type TextField = HTMLElement & { value: string };
export type Button = HTMLElement & { disabled: boolean };
export type Tabs = HTMLElement & { selectedIndex: number };

type Attrs = NonNullable<Props['attrs']>;

export interface ButtonOptions {
  id?: string;
  /** The secondary (less prominent) look. */
  secondary?: boolean;
  disabled?: boolean;
  /** A codicon name shown before the text, e.g. "play". */
  icon?: string;
  title?: string;
  ariaLabel?: string;
  attrs?: Attrs;
  onClick?: (ev: Event) => void;
}

/** A <vscode-button>. */
export function button(text: Child, o: ButtonOptions = {}): Button {
  return el(
    'vscode-button',
    {
      attrs: { id: o.id, secondary: o.secondary, disabled: o.disabled, icon: o.icon, title: o.title, 'aria-label': o.ariaLabel, ...o.attrs },
      on: o.onClick ? { click: o.onClick } : undefined,
    },
    text,
  ) as Button;
}

export interface CheckboxOptions {
  id?: string;
  /** The visible label (also the accessible name). */
  label?: string;
  /** The accessible name when there is no visible label. */
  ariaLabel?: string;
  checked: boolean;
  disabled?: boolean;
  title?: string;
  attrs?: Attrs;
  onChange?: (checked: boolean) => void;
}

/** A <vscode-checkbox>; `onChange` receives the new checked state. */
export function checkbox(o: CheckboxOptions): Checkbox {
  const cb = el('vscode-checkbox', {
    attrs: { id: o.id, name: o.id, label: o.label, 'aria-label': o.ariaLabel, disabled: o.disabled, title: o.title, ...o.attrs },
    props: { checked: o.checked },
  }) as Checkbox;
  if (o.onChange) cb.addEventListener('change', () => o.onChange!(cb.checked));
  return cb;
}

export interface TextFieldOptions {
  id?: string;
  value?: string;
  placeholder?: string;
  ariaLabel?: string;
  attrs?: Attrs;
  onInput?: (value: string) => void;
}

/** A <vscode-textfield>. */
export function textField(o: TextFieldOptions = {}): TextField {
  const f = el('vscode-textfield', { attrs: { id: o.id, name: o.id, placeholder: o.placeholder, 'aria-label': o.ariaLabel, ...o.attrs } }) as TextField;
  if (o.value !== undefined) f.value = o.value;
  if (o.onInput) f.addEventListener('input', () => o.onInput!(f.value));
  return f;
}

/** <vscode-option>s from [value, text] pairs. */
export function options(pairs: readonly (readonly [string, string])[]): HTMLElement[] {
  return pairs.map(([v, text]) => el('vscode-option', { attrs: { value: v } }, text));
}

/** A <vscode-single-select> over [value, text] pairs; `onChange` receives the chosen value. */
export function singleSelect<V extends string>(pairs: readonly (readonly [V, string])[], value: V | '', o: { id?: string; ariaLabel?: string; label?: string; attrs?: Attrs; onChange?: (v: V) => void } = {}): SingleSelect {
  const s = el('vscode-single-select', { attrs: { id: o.id, name: o.id, 'aria-label': o.ariaLabel, label: o.label, ...o.attrs } }, ...options(pairs)) as SingleSelect;
  s.value = value;
  if (o.onChange) s.addEventListener('change', () => o.onChange!(s.value as V));
  return s;
}

/** A <vscode-multi-select> over [value, text] pairs. */
export function multiSelect(pairs: readonly (readonly [string, string])[], o: { id?: string; ariaLabel?: string; attrs?: Attrs } = {}): MultiSelect {
  return el('vscode-multi-select', { attrs: { id: o.id, name: o.id, 'aria-label': o.ariaLabel, ...o.attrs } }, ...options(pairs)) as MultiSelect;
}

/**
 * A labelled <vscode-single-select> (id, accessible name and visible label) with `options` as
 * [value, text] pairs; `onChange` receives the chosen value, typed as one of the options' values.
 * `shortLabel` is a shorter visible label when the accessible name needs more words.
 */
export function selectControl<V extends string>(id: string, label: string, pairs: readonly (readonly [V, string])[], value: V, onChange: (v: V) => void, shortLabel = label): HTMLElement {
  return el('label', { class: 'll-inline-field' }, el('span', null, shortLabel), singleSelect(pairs, value, { id, ariaLabel: label, label, onChange }));
}

/** A <vscode-progress-ring> with its accessible name. */
export function progressRing(label: string, className?: string): HTMLElement {
  return el('vscode-progress-ring', { class: className, attrs: { 'aria-label': label } });
}

/** A <vscode-collapsible> titled `title` around `content`. */
export function collapsible(title: string, ...content: Child[]): HTMLElement {
  return el('vscode-collapsible', { attrs: { title } }, ...content);
}

/** A <vscode-label> for the control with id `forId`. */
export function label(forId: string, text: string): HTMLElement {
  return el('vscode-label', { attrs: { for: forId } }, text);
}

/** <vscode-tabs> with one header and panel per [id, label]; `data-tab` / `data-panel` carry the id. */
export function tabs<Id extends string>(items: readonly (readonly [Id, Child | Child[]])[], id = 'tabs'): { tabs: Tabs; panels: Map<Id, HTMLElement> } {
  const root = el('vscode-tabs', { attrs: { id } }) as Tabs;
  const panels = new Map<Id, HTMLElement>();
  for (const [tab, text] of items) {
    root.append(el('vscode-tab-header', { attrs: { slot: 'header', id: `tab-${tab}`, 'data-tab': tab } }, ...(Array.isArray(text) ? text : [text])));
    const panel = el('vscode-tab-panel', { attrs: { 'data-panel': tab } });
    panels.set(tab, panel);
    root.append(panel);
  }
  return { tabs: root, panels };
}
