/**
 * Incremental rendering (issue 20, no long tasks): a tab is built from parts, each in its own short
 * task, so the webview (in the browser-hosted VS Code, the whole workbench) never blocks for more
 * than a slice. A part is a function returning its element, or a generator that yields between the
 * steps of a costly element (compute the grid, draw the background, draw the points…) and returns
 * it. Each part gets an empty placeholder (`data-pending`) at once, so the order is kept and the
 * tests can wait for a tab to be complete (no `[data-pending]` left); the placeholder is replaced by
 * the element when the part is done (a re-render passes the previous cards, which hold the places instead). Steps run back to back while they fit in SLICE_MS, then the
 * renderer yields to the event loop (a MessageChannel message: no 4 ms timer clamp). A new render
 * of the same container, or its removal from the document, stops the old one.
 */
import type { Child } from './dom';

export type PartResult = Child | Child[];
export type Part = () => PartResult | Generator<void, PartResult, void>;

/**
 * Work per task before yielding (a long task is one over 50 ms). 0: every part and step starts a task
 * of its own. With 8 ms a cheap card and the costly one after it shared a task (the Evaluation tab's
 * calibration and cost cards: 26-35 ms of CPU on the Intel machine, issue 20's long-task test).
 */
export const SLICE_MS = 0;

const renders = new WeakMap<Element, object>();

/** Yields to the event loop: resolves in a fresh task. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

function toNodes(result: PartResult): Node[] {
  const list = Array.isArray(result) ? result : [result];
  return list.filter((c) => c !== null && c !== undefined && c !== false).map((c) => (c instanceof Node ? c : document.createTextNode(String(c))));
}

function isGenerator(v: unknown): v is Generator<void, PartResult, void> {
  return typeof v === 'object' && v !== null && typeof (v as Generator).next === 'function' && typeof (v as Generator).throw === 'function';
}

/** Runs a part to the end at once (its steps back to back): for a view built outside a tab. */
export function runPart(part: Part): PartResult {
  const first = part();
  if (!isGenerator(first)) return first;
  let r = first.next();
  while (!r.done) r = first.next();
  return r.value;
}

/** Renders every part at once, in order, into `into` (a re-render in place: no placeholder, no task). */
export function appendParts(into: HTMLElement, parts: Part[], onError: (e: unknown) => Child = (e) => String(e)): void {
  for (const part of parts) {
    let nodes: Node[];
    try {
      nodes = toNodes(runPart(part));
    } catch (e) {
      console.error(e);
      nodes = toNodes(onError(e));
    }
    into.append(...nodes);
  }
}

/**
 * Appends a placeholder per part to `into`, then renders the parts in order, a slice at a time.
 * Resolves when all are in place (or the render was superseded). A part that throws is replaced by
 * the error's message (the others still render). `first`: indexes of parts rendered before the
 * others (the card a user waits for, e.g. the decision boundary), each still in its own place.
 */
export async function renderParts(into: HTMLElement, parts: Part[], onError: (e: unknown) => Child = (e) => String(e), reuse: readonly Element[] = [], first: readonly number[] = []): Promise<void> {
  const token = {};
  renders.set(into, token);
  const live = () => renders.get(into) === token;
  // The previous rendering's cards (a re-render of the same tab) hold their places until replaced:
  // no blank page, no jump of the scroll position.
  const holders = parts.map((_, i) => {
    const old = reuse[i];
    if (old) {
      old.setAttribute('data-pending', '');
      into.append(old);
      return old;
    }
    const h = document.createElement('div');
    h.className = 'll-pending';
    h.dataset.pending = '';
    into.append(h);
    return h;
  });
  const extra = reuse.slice(parts.length);
  for (const e of extra) {
    e.setAttribute('data-pending', '');
    into.append(e);
  }
  let sliceStart = performance.now();
  const step = async () => {
    if (performance.now() - sliceStart < SLICE_MS) return live() && into.isConnected;
    await nextTask();
    sliceStart = performance.now();
    return live() && into.isConnected;
  };
  await nextTask();
  sliceStart = performance.now();
  const ahead = first.filter((i, j) => i >= 0 && i < parts.length && first.indexOf(i) === j);
  const order = [...ahead, ...parts.map((_, i) => i).filter((i) => !ahead.includes(i))];
  for (const i of order) {
    if (!live() || !into.isConnected) return;
    let nodes: Node[];
    try {
      const first = parts[i]();
      if (isGenerator(first)) {
        let r = first.next();
        while (!r.done) {
          if (!(await step())) {
            first.return(undefined as unknown as PartResult);
            return;
          }
          r = first.next();
        }
        nodes = toNodes(r.value);
      } else nodes = toNodes(first);
    } catch (e) {
      console.error(e);
      nodes = toNodes(onError(e));
    }
    holders[i].replaceWith(...nodes);
    if (!(await step())) return;
  }
  for (const e of extra) e.remove();
}
