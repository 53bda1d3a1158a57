/**
 * Typed wrappers for the @vscode-elements components the panel builds by hand: their `value` and
 * `checked` are properties the DOM typings do not know, so the casts live here, once.
 */
import { el } from './dom';

export type SingleSelect = HTMLElement & { value: string };
export type Checkbox = HTMLElement & { checked: boolean };

/**
 * A labelled <vscode-single-select> (id, accessible name and visible label) with `options` as
 * [value, text] pairs; `onChange` receives the chosen value, typed as one of the options' values.
 */
export function selectControl<V extends string>(id: string, label: string, options: readonly (readonly [V, string])[], value: V, onChange: (v: V) => void): HTMLElement {
  const s = el('vscode-single-select', { attrs: { id, 'aria-label': label, label } }, ...options.map(([v, l]) => el('vscode-option', { attrs: { value: v } }, l))) as SingleSelect;
  s.value = value;
  s.addEventListener('change', () => onChange(s.value as V));
  return el('label', { class: 'll-inline-field' }, el('span', null, label), s);
}
