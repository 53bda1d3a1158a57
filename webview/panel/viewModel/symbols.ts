/**
 * The symbols of the decision boundary's points (views/pointLayer.ts): d3's symbol paths, which
 * Plot's dot mark draws, at Plot's size r²π, drawn into a canvas context or written as SVG path data
 * (the export's vector form). Pure: no DOM.
 */
export type PointShape = 'circle' | 'square' | 'triangle' | 'times';

/** The shape of each split (train, validation, test: the report's split codes 0, 1, 2). */
export const SPLIT_SHAPES: readonly PointShape[] = ['circle', 'square', 'triangle'];

/** Plot's dot radius for the points and for the misclassified crosses (as the dot marks had them). */
export const DOT_R = 3.6;
export const CROSS_R = 4.2;
const SQRT3 = Math.sqrt(3);

/** What a symbol is drawn into: a canvas context or {@link SvgPath}. */
export interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  closePath(): void;
  arc(x: number, y: number, r: number, a0: number, a1: number): void;
  rect(x: number, y: number, w: number, h: number): void;
}

/** d3's symbol of that shape (Plot's dot mark uses d3's) of size r²π (Plot's), centred on (x, y). */
export function symbolPath(p: PathSink, shape: PointShape, x: number, y: number, r: number): void {
  const size = r * r * Math.PI;
  switch (shape) {
    case 'circle':
      p.moveTo(x + r, y);
      p.arc(x, y, r, 0, 2 * Math.PI);
      return;
    case 'square': {
      const w = Math.sqrt(size);
      p.rect(x - w / 2, y - w / 2, w, w);
      return;
    }
    case 'triangle': {
      const h = -Math.sqrt(size / (SQRT3 * 3));
      p.moveTo(x, y + h * 2);
      p.lineTo(x - SQRT3 * h, y - h);
      p.lineTo(x + SQRT3 * h, y - h);
      p.closePath();
      return;
    }
    case 'times': {
      const s = Math.sqrt(size - Math.min(size / 6, 1.7)) * 0.6189;
      p.moveTo(x - s, y - s);
      p.lineTo(x + s, y + s);
      p.moveTo(x - s, y + s);
      p.lineTo(x + s, y - s);
    }
  }
}

const r2 = (v: number) => String(Math.round(v * 100) / 100);

/** An SVG path's `d` built through the same calls (full circles as two arcs). */
export class SvgPath implements PathSink {
  d = '';
  moveTo(x: number, y: number): void {
    this.d += `M${r2(x)},${r2(y)}`;
  }
  lineTo(x: number, y: number): void {
    this.d += `L${r2(x)},${r2(y)}`;
  }
  closePath(): void {
    this.d += 'Z';
  }
  arc(x: number, y: number, r: number): void {
    this.d += `A${r2(r)},${r2(r)},0,1,1,${r2(x - r)},${r2(y)}A${r2(r)},${r2(r)},0,1,1,${r2(x + r)},${r2(y)}`;
  }
  rect(x: number, y: number, w: number, h: number): void {
    this.d += `M${r2(x)},${r2(y)}h${r2(w)}v${r2(h)}h${r2(-w)}Z`;
  }
}
