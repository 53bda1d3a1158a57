/**
 * The boundary's point layer (webview/panel/views/pointLayer.ts, its symbols in viewModel/symbols.ts) draws d3's symbols at Plot's sizes,
 * the shapes Plot's dot mark drew before (issue 20): the same path calls as d3's own symbols, moved
 * to the point, and the same shapes in the SVG paths an export gets.
 */
import { describe, expect, it } from 'vitest';
import { symbolCircle, symbolSquare, symbolTimes, symbolTriangle } from 'd3';
import { CROSS_R, DOT_R, SvgPath, symbolPath, type PointShape } from '../../../webview/panel/viewModel/symbols';

/** Records path calls, each shifted by (dx, dy) (d3 draws around the origin). */
function recorder(dx = 0, dy = 0) {
  const calls: (string | number)[][] = [];
  const r = (v: number) => Math.round(v * 1e9) / 1e9;
  return {
    calls,
    moveTo: (x: number, y: number) => calls.push(['M', r(x + dx), r(y + dy)]),
    lineTo: (x: number, y: number) => calls.push(['L', r(x + dx), r(y + dy)]),
    closePath: () => calls.push(['Z']),
    arc: (x: number, y: number, rad: number, a0: number, a1: number) => calls.push(['A', r(x + dx), r(y + dy), r(rad), a0, a1]),
    rect: (x: number, y: number, w: number, h: number) => calls.push(['R', r(x + dx), r(y + dy), r(w), r(h)]),
  };
}

const D3 = { circle: symbolCircle, square: symbolSquare, triangle: symbolTriangle, times: symbolTimes } as const;

describe('point layer symbols', () => {
  for (const shape of ['circle', 'square', 'triangle', 'times'] as PointShape[]) {
    it(`${shape}: d3's path at size r²π, centred on the point`, () => {
      const r = shape === 'times' ? CROSS_R : DOT_R;
      const ours = recorder();
      symbolPath(ours, shape, 120.5, 33.25, r);
      const d3 = recorder(120.5, 33.25);
      D3[shape].draw(d3 as never, r * r * Math.PI);
      expect(ours.calls).toEqual(d3.calls);
      expect(ours.calls.length).toBeGreaterThan(0);
    });
  }

  it('writes the same shapes as SVG path data (a full circle as two arcs)', () => {
    const p = new SvgPath();
    symbolPath(p, 'circle', 10, 20, 3.6);
    expect(p.d).toBe('M13.6,20A3.6,3.6,0,1,1,6.4,20A3.6,3.6,0,1,1,13.6,20');
    const sq = new SvgPath();
    symbolPath(sq, 'square', 0, 0, 3.6);
    // Side √(r²π) = 6.381 for r = 3.6: the area of the circle.
    expect(sq.d).toBe('M-3.19,-3.19h6.38v6.38h-6.38Z');
    const x = new SvgPath();
    symbolPath(x, 'times', 0, 0, 4.2);
    expect(x.d.match(/M/g)).toHaveLength(2);
    expect(x.d.match(/L/g)).toHaveLength(2);
  });
});
