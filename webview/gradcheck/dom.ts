/**
 * Small DOM helpers. Every string enters the DOM as text (textContent); math goes through
 * katex.render, which builds its nodes through the DOM (allowed by the panel CSP).
 */
import katex from 'katex';

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return node;
}

/** An element holding `tex` typeset by KaTeX (errors are shown by KaTeX in red, never thrown). */
export function math(tex: string, className = 'math', displayMode = true): HTMLElement {
  const node = el('div', className);
  try {
    katex.render(tex, node, { throwOnError: false, displayMode, strict: 'ignore', trust: false, maxExpand: 1000 });
  } catch (e) {
    node.textContent = e instanceof Error ? e.message : String(e);
    node.classList.add('math-error');
  }
  return node;
}
