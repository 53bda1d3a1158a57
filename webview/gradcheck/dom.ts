/**
 * KaTeX for the gradient checker: math enters the DOM through katex.render, which builds its nodes
 * through the DOM (allowed by the panel CSP). Elements are built with the panels' one el()
 * (webview/panel/dom.ts): every string enters the DOM as text.
 */
import katex from 'katex';
import { el } from '../panel/dom';

/** An element holding `tex` typeset by KaTeX (errors are shown by KaTeX in red, never thrown). */
export function math(tex: string, className = 'math', displayMode = true): HTMLElement {
  const node = el('div', { class: className });
  try {
    katex.render(tex, node, { throwOnError: false, displayMode, strict: 'ignore', trust: false, maxExpand: 1000 });
  } catch (e) {
    node.textContent = e instanceof Error ? e.message : String(e);
    node.classList.add('math-error');
  }
  return node;
}
