/**
 * The decision-boundary card's sampled points on one canvas (issue 20, no long tasks). As SVG dot
 * marks the points of a 1M-row run (2,000 and 390 ✕) were 2,390 nodes, the points with a <title>
 * each, and the browser's style recalculation and layout of that SVG took 40-70 ms tasks on a
 * slower CPU. Here they are one
 * <canvas> in a <foreignObject> of the plot's SVG, on the plot's own pixel coordinates (it scales
 * with the SVG), drawn with d3's symbol paths at Plot's sizes (what Plot's dot mark drew: circle,
 * square, triangle per split, filled with the class colour, stroked in the background colour), the
 * misclassified ✕ on top. No PNG is encoded (a devicePixelRatio-2 canvas of the plot took 75-80 ms
 * to encode). An export swaps the canvas for the same symbols as SVG paths (plots.ts
 * setExportReplacement): the exported SVG or PNG is vector. One pointer handler on the SVG shows the
 * nearest point's description (class, split, prediction, coordinates) in one tooltip element.
 */
import { el } from '../dom';
import { setExportReplacement } from '../plots';
import { classColor, type Theme } from '../theme';
import { CROSS_R, DOT_R, SvgPath, symbolPath, type PointShape } from '../viewModel/symbols';

/** How the points are drawn (as Plot's dot marks drew them). */
const DOT_STROKE = 0.8;
const CROSS_STROKE = 1.6;
/** How near (CSS pixels) the pointer must be to a point for its tooltip. */
const HOVER_PX = 8;
const SVG_NS = 'http://www.w3.org/2000/svg';

/** The points, in the plot's pixel coordinates, in drawing order. */
export interface LayerPoints {
  px: ArrayLike<number>;
  py: ArrayLike<number>;
  cls: ArrayLike<number>;
  shape: (i: number) => PointShape;
  wrong: (i: number) => boolean;
  /** The tooltip's text for point i. */
  tip: (i: number) => string;
  /** What the canvas shows, for screen readers. */
  label: string;
}

/** What was drawn (the card's data-points-drawn / data-crosses-drawn). */
export interface LayerCounts {
  points: number;
  crosses: number;
}

function svgOf(plot: Element): SVGSVGElement | null {
  return plot instanceof SVGSVGElement ? plot : plot.querySelector('svg');
}

/**
 * Draws the points on a canvas added to the plot's SVG (over everything drawn so far), registers
 * their vector form for exports and the pointer tooltip. Points with a coordinate that is not finite
 * are not drawn (nor counted).
 */
export function addPointLayer(plot: Element, pts: LayerPoints, theme: Theme): LayerCounts {
  const svg = svgOf(plot);
  if (!svg) return { points: 0, crosses: 0 };
  const width = Number(svg.getAttribute('width')) || 640;
  const height = Number(svg.getAttribute('height')) || 400;
  const dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
  const n = pts.px.length;
  const shown: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(pts.px[i]) && Number.isFinite(pts.py[i])) shown.push(i);
  const crossed = shown.filter((i) => pts.wrong(i));

  const canvas = el('canvas', { class: 'll-point-layer', attrs: { width: Math.round(width * dpr), height: Math.round(height * dpr), role: 'img', 'aria-label': pts.label } });
  const g = canvas.getContext('2d');
  if (g) {
    g.scale(dpr, dpr);
    const colors = new Map<number, string>();
    const color = (k: number) => {
      let c = colors.get(k);
      if (c === undefined) colors.set(k, (c = classColor(theme, k)));
      return c;
    };
    g.lineWidth = DOT_STROKE;
    g.strokeStyle = theme.bg;
    for (const i of shown) {
      g.beginPath();
      symbolPath(g, pts.shape(i), pts.px[i], pts.py[i], DOT_R);
      g.fillStyle = color(pts.cls[i]);
      g.fill();
      g.stroke();
    }
    g.lineWidth = CROSS_STROKE;
    g.strokeStyle = theme.fg;
    g.beginPath();
    for (const i of crossed) symbolPath(g, 'times', pts.px[i], pts.py[i], CROSS_R);
    g.stroke();
  }
  const layer = document.createElementNS(SVG_NS, 'foreignObject');
  for (const [k, v] of Object.entries({ x: '0', y: '0', width: String(width), height: String(height), 'aria-label': 'points', class: 'll-point-layer-box' })) layer.setAttribute(k, v);
  layer.append(canvas);
  svg.append(layer);
  setExportReplacement(layer, () => vectorPoints(pts, shown, crossed, theme));
  hoverTips(svg, pts, shown, width);
  return { points: shown.length, crosses: crossed.length };
}

/** The points as Plot's dot marks would have drawn them (one group of points, one of crosses), for exports. */
function vectorPoints(pts: LayerPoints, shown: readonly number[], crossed: readonly number[], theme: Theme): SVGGElement {
  const make = (tag: string, attrs: Record<string, string>) => {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    return node;
  };
  const root = make('g', { 'aria-label': 'points' }) as SVGGElement;
  const dots = make('g', { 'aria-label': 'dot', stroke: theme.bg, 'stroke-width': String(DOT_STROKE) });
  for (const i of shown) {
    const p = new SvgPath();
    symbolPath(p, pts.shape(i), pts.px[i], pts.py[i], DOT_R);
    dots.append(make('path', { d: p.d, fill: classColor(theme, pts.cls[i]) }));
  }
  const crosses = make('g', { 'aria-label': 'dot', fill: 'none', stroke: theme.fg, 'stroke-width': String(CROSS_STROKE) });
  for (const i of crossed) {
    const p = new SvgPath();
    symbolPath(p, 'times', pts.px[i], pts.py[i], CROSS_R);
    crosses.append(make('path', { d: p.d }));
  }
  root.append(dots, crosses);
  return root;
}

/** The nearest shown point within HOVER_PX of the pointer names itself in one tooltip (text only). */
function hoverTips(svg: SVGSVGElement, pts: LayerPoints, shown: readonly number[], width: number): void {
  let tip: HTMLElement | null = null;
  const hide = () => {
    if (tip) tip.hidden = true;
  };
  svg.addEventListener('pointermove', (e: PointerEvent) => {
    const rect = svg.getBoundingClientRect();
    if (rect.width <= 0) return hide();
    // CSS pixels to the plot's own units (the SVG may be scaled down to fit).
    const unit = width / rect.width;
    const x = (e.clientX - rect.left) * unit;
    const y = (e.clientY - rect.top) * unit;
    const reach = HOVER_PX * unit;
    let best = -1;
    let bestD = reach * reach;
    // The last drawn point wins a tie: it is the one on top.
    for (const i of shown) {
      const dx = pts.px[i] - x;
      const dy = pts.py[i] - y;
      const d = dx * dx + dy * dy;
      if (d <= bestD) {
        bestD = d;
        best = i;
      }
    }
    if (best < 0) return hide();
    const box = svg.parentElement;
    if (!box) return;
    if (!tip || tip.parentElement !== box) {
      tip = el('div', { class: 'll-point-tip', attrs: { role: 'tooltip' } });
      box.append(tip);
    }
    tip.textContent = pts.tip(best);
    tip.hidden = false;
    const boxRect = box.getBoundingClientRect();
    tip.style.left = `${rect.left - boxRect.left + box.scrollLeft + pts.px[best] / unit + 10}px`;
    tip.style.top = `${rect.top - boxRect.top + box.scrollTop + pts.py[best] / unit + 10}px`;
  });
  svg.addEventListener('pointerleave', hide);
}
