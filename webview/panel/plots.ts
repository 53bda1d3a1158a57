/**
 * Observable Plot under a strict CSP, plot cards (title, plot, export buttons) and plot exports.
 *
 * CSP and Plot's styles. The panel's CSP is `style-src ${cspSource}` without 'unsafe-inline'.
 * Measured in Chromium with that CSP (test/browser): Plot.plot() appends a <style> element to every
 * SVG (and its legends append their own); once such an element is connected to the document the
 * browser refuses it and fires a `securitypolicyviolation`. Everything else Plot does to styles goes
 * through the CSSOM (element.style.setProperty / figure.style.maxWidth), which CSP does not govern,
 * and SVG presentation attributes (fill="...", font-size="...") are not styles. So:
 * 1. every plot is created with `className: PLOT_CLASS` (legends derive `${PLOT_CLASS}-ramp` and
 *    `${PLOT_CLASS}-swatches` from it);
 * 2. its <style> elements are removed while the node is still detached ({@link renderPlot}), so the
 *    browser never sees them;
 * 3. the same rules live in the panel's stylesheet (webview/panel/panel.css, section "Plot"), which is
 *    loaded from ${cspSource} and therefore allowed. No style nonce and no 'unsafe-inline' are needed.
 * Exported SVGs get those rules back as an embedded <style> (a file on disk has no CSP).
 */
import * as Plot from '@observablehq/plot';
import { el, type Child } from './dom';
import { button } from './elements';
import { t } from '../l10n';
import type { Theme } from './theme';

export const PLOT_CLASS = 'll-plot';

/** Plot.plot with the panel's class name and font, its <style> elements removed (see above). */
export function renderPlot(options: Plot.PlotOptions, theme: Theme): SVGSVGElement | HTMLElement {
  const node = Plot.plot({ ...options, className: PLOT_CLASS, style: { fontFamily: theme.fontFamily, fontSize: '11px', color: theme.fg, background: 'transparent' } });
  stripStyleElements(node);
  return node;
}

/** Removes Plot's <style> elements from a detached node (they would violate the CSP once connected). */
export function stripStyleElements(node: Element): void {
  if (node.tagName.toLowerCase() === 'style') {
    node.remove();
    return;
  }
  for (const s of Array.from(node.querySelectorAll('style'))) s.remove();
}

/** What a plot card hands to the exporter. */
export interface PlotExporter {
  (name: string, format: 'svg' | 'png', svg: SVGSVGElement, title: string): void;
}

/** The Plot rules this panel's stylesheet replaces, re-embedded in exported files. */
const EXPORT_STYLE = `svg text, svg tspan { white-space: pre; }`;

function svgOf(node: Element): SVGSVGElement | null {
  if (node instanceof SVGSVGElement) return node;
  return node.querySelector('svg:not(.ll-plot-ramp)') ?? node.querySelector('svg');
}

/** Parts of a plot drawn as something an SVG file cannot hold (a canvas), with their vector form. */
const exportReplacements = new WeakMap<Element, () => Element>();
const REPLACED = 'data-export-replaced';

/**
 * Registers the vector form of `node` (a part of a plot's SVG, e.g. the boundary's point canvas,
 * views/pointLayer.ts): {@link standaloneSvg} puts `make()` in its place in the exported copy.
 */
export function setExportReplacement(node: Element, make: () => Element): void {
  exportReplacements.set(node, make);
  node.setAttribute(REPLACED, '');
}

/** A self-contained SVG document: the plot with a title line, background and resolved colours. */
export function standaloneSvg(svg: SVGSVGElement, title: string, theme: Theme): { text: string; width: number; height: number } {
  const ns = 'http://www.w3.org/2000/svg';
  const width = Number(svg.getAttribute('width')) || svg.clientWidth || 640;
  const height = Number(svg.getAttribute('height')) || svg.clientHeight || 400;
  const band = 28;
  const root = document.createElementNS(ns, 'svg');
  root.setAttribute('xmlns', ns);
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height + band));
  root.setAttribute('viewBox', `0 0 ${width} ${height + band}`);
  root.setAttribute('font-family', 'system-ui, sans-serif');
  const style = document.createElementNS(ns, 'style');
  style.textContent = EXPORT_STYLE;
  const bg = document.createElementNS(ns, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', theme.bg);
  const heading = document.createElementNS(ns, 'text');
  heading.setAttribute('x', '8');
  heading.setAttribute('y', '19');
  heading.setAttribute('font-size', '14');
  heading.setAttribute('font-weight', 'bold');
  heading.setAttribute('fill', theme.fg);
  heading.textContent = title;
  const g = document.createElementNS(ns, 'g');
  g.setAttribute('transform', `translate(0,${band})`);
  g.setAttribute('color', theme.fg);
  g.setAttribute('fill', theme.fg);
  const copy = svg.cloneNode(true) as SVGSVGElement;
  // The copy's nodes in the same order as the original's: each registered part gets its vector form.
  const copies = copy.querySelectorAll(`[${REPLACED}]`);
  svg.querySelectorAll(`[${REPLACED}]`).forEach((node, i) => {
    const make = exportReplacements.get(node);
    if (make && copies[i]) copies[i].replaceWith(make());
    else copies[i]?.remove();
  });
  copy.setAttribute('color', theme.fg);
  g.appendChild(copy);
  root.append(style, bg, heading, g);
  return { text: new XMLSerializer().serializeToString(root), width, height: height + band };
}

/** Rasterizes an SVG document to a PNG data URL (2x for sharpness). */
export function rasterize(svgText: string, width: number, height: number, scale = 2): Promise<string> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      const ctx = canvas.getContext('2d');
      if (!ctx) return reject(new Error('no 2d canvas'));
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0, width, height);
      resolve(canvas.toDataURL('image/png'));
    };
    img.onerror = () => reject(new Error('the plot could not be rasterized'));
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`;
  });
}

export interface CardOptions {
  /** File-name stem for exports, e.g. "roc-curve". */
  name: string;
  title: string;
  /** One sentence under the title (how to read the plot, what is held fixed...). */
  note?: Child;
  exporter?: PlotExporter;
  controls?: Child[];
  /** Extra class for the card. */
  class?: string;
}

/** A titled card around a plot node, with SVG / PNG export buttons. */
export function plotCard(plot: Element | null, o: CardOptions): HTMLElement {
  const actions: Child[] = [];
  if (plot && o.exporter) {
    const target = svgOf(plot);
    if (target) {
      target.setAttribute('aria-label', o.title);
      for (const format of ['svg', 'png'] as const) {
        const what = t('Save “{0}” as {1}', o.title, format.toUpperCase());
        actions.push(button(format.toUpperCase(), { secondary: true, title: what, ariaLabel: what, attrs: { 'data-export': `${o.name}.${format}` }, onClick: () => o.exporter!(o.name, format, target, o.title) }));
      }
    }
  }
  return el(
    'section',
    { class: `ll-card ${o.class ?? ''}`.trim(), attrs: { 'data-plot': o.name } },
    el('header', { class: 'll-card-head' }, el('h3', null, o.title), el('div', { class: 'll-card-actions' }, ...actions)),
    o.controls && o.controls.length ? el('div', { class: 'll-controls' }, ...o.controls) : null,
    o.note ? el('p', { class: 'll-note' }, o.note) : null,
    plot ? el('div', { class: 'll-plot-box' }, plot) : null,
  );
}

/** Width available for a plot inside `container` (falls back to the window width when hidden). */
export function plotWidth(container: Element | null, min = 260, max = 960): number {
  const w = container?.getBoundingClientRect().width || Math.min(window.innerWidth - 48, max);
  return Math.max(min, Math.min(max, Math.floor(w)));
}

/**
 * The frame of the panel's line charts: `width`, a height of `ratio` × width kept within
 * [minHeight, maxHeight], and the margins they share (the left one fits their tick labels).
 */
export function lineChartFrame(width: number, ratio: number, minHeight: number, maxHeight: number, marginLeft: number): Pick<Plot.PlotOptions, 'width' | 'height' | 'marginLeft' | 'marginRight' | 'marginBottom'> {
  return { width, height: Math.round(Math.max(minHeight, Math.min(maxHeight, width * ratio))), marginLeft, marginRight: 20, marginBottom: 40 };
}

/** The last point of each series (series named by `key`): where a line chart puts its end dot. */
export function lastPoints<P>(points: readonly P[], key: (p: P) => unknown): P[] {
  const last = new Map<unknown, P>();
  for (const p of points) last.set(key(p), p);
  return [...last.values()];
}

/**
 * Shared marks. The diagonal y = x over [0, 1]: chance on a ROC plot, perfect calibration on a
 * reliability diagram (one definition for every card that draws it).
 */
export function diagonalMark(theme: Theme): Plot.Markish {
  return Plot.line([{ x: 0, y: 0 }, { x: 1, y: 1 }], { x: 'x', y: 'y', stroke: theme.muted, strokeDasharray: '4 4' });
}

/** A dense grid of values: `width` × `height` cells, row-major, over [x1, x2] × [y1, y2] (row 0 at y1). */
export interface DenseGrid {
  width: number;
  height: number;
  x1: number;
  x2: number;
  y1: number;
  y2: number;
}

/**
 * The contour of a dense grid of values, as Plot.contour draws it with `interpolate: 'none'`, without
 * the per-cell x and y channels (x, y null: the grid is aligned with its bounds, so Plot contours the
 * values as given). With them Plot made, scaled and binned a position per cell (10,000 for the
 * decision boundary's grid) back into the same grid, for each mark: most of a 10-class boundary's
 * time (issue 20). The same paths: test/browser/run.mjs draws both and compares them.
 */
export function gridContour(values: ArrayLike<number>, grid: DenseGrid, options: Omit<Plot.ContourOptions, keyof DenseGrid | 'x' | 'y' | 'interpolate'>): Plot.Contour {
  return Plot.contour(values, { ...options, ...grid, x: null, y: null } as Plot.ContourOptions);
}

export { Plot };
