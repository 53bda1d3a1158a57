/**
 * Math in both webviews: `tex` typeset by katex.render into an element (KaTeX builds its nodes
 * through the DOM, allowed by the panels' CSP; never innerHTML). One helper for the model panel's
 * formulas and the gradient checker's preview and report.
 */
import katex from 'katex';
import { el } from './panel/dom';
import { t } from './l10n';

/**
 * A <div class=className> holding `tex`: display math, or inline math in a <span> when `display` is
 * false. A TeX error is shown by KaTeX in red (throwOnError false); anything else KaTeX throws
 * becomes one line of text and the class `math-error`.
 */
export function math(tex: string, className = 'math', display = true): HTMLElement {
  const node = el('div', { class: className });
  const target = display ? node : node.appendChild(el('span'));
  try {
    katex.render(tex, target, { displayMode: display, throwOnError: false, strict: 'ignore', trust: false, maxExpand: 1000 });
  } catch (e) {
    node.textContent = t('(formula not shown: {0})', e instanceof Error ? e.message : String(e));
    node.classList.add('math-error');
  }
  return node;
}
