import { describe, expect, it } from 'vitest';
import { Mat } from '../../../../src/core/gradcheck/matrix';
import { checkObjective, runObjectiveCheck, runObjectiveCheckAsync, type EvaluationRequest, type ObjectiveValue } from '../../../../src/core/gradcheck/objective';

// Logistic loss on a fixed 4x2 design; the analytic gradient optionally wrong.
const X = [[1, 0.5], [1, -1.2], [1, 2.0], [1, 0.1]];
const y = [1, 0, 1, 0];
const sig = (z: number) => 1 / (1 + Math.exp(-z));
function logistic(theta: Mat, slip: 'none' | 'sign' | 'half' | 'noGrad' | 'first'): ObjectiveValue {
  const m = X.length;
  let J = 0;
  const g = new Float64Array(2);
  for (let i = 0; i < m; i++) {
    const h = sig(X[i][0] * theta.data[0] + X[i][1] * theta.data[1]);
    J += (-y[i] * Math.log(h) - (1 - y[i]) * Math.log(1 - h)) / m;
    for (let j = 0; j < 2; j++) g[j] += ((h - y[i]) * X[i][j]) / m;
  }
  if (slip === 'sign') g.forEach((v, j) => (g[j] = -v));
  if (slip === 'half') g.forEach((v, j) => (g[j] = v / 2));
  if (slip === 'first') g[0] += 0.3;
  if (slip === 'noGrad') return { loss: J, outputs: 1 };
  return { loss: J, grad: new Mat(2, 1, g), outputs: 2 };
}
const run = (slip: Parameters<typeof logistic>[1]) =>
  runObjectiveCheck(checkObjective(new Mat(2, 1, Float64Array.of(0.1, -0.2)), { param: 'theta', what: 'costFunction' }), (r: EvaluationRequest) =>
    r.points.map((p) => logistic(p, slip)),
  );

describe('checkObjective', () => {
  it('passes a correct gradient at every check point', () => {
    const report = run('none');
    expect(report.verdict).toBe('pass');
    expect(report.points).toHaveLength(4);
    expect(report.gradient!.maxRelError).toBeLessThan(1e-8);
    expect(report.gradient!.components.map((c) => c.index)).toEqual(['1', '2']);
    // The table names components as the diagnosis does: Octave, 1-based, in parentheses.
    expect(report.gradient!.components.map((c) => c.name)).toEqual(['theta(1)', 'theta(2)']);
  });
  it('names a sign slip and a missing factor, with the table at the failing point', () => {
    expect(run('sign').gradient!.diagnosis.kind).toBe('sign');
    const half = run('half');
    expect(half.verdict).toBe('fail');
    expect(half.gradient!.diagnosis.kind).toBe('scale');
    expect(half.gradient!.diagnosis.factor).toBeCloseTo(2, 6);
    expect(half.failedAt).toBe(0);
    const first = run('first');
    expect(first.gradient!.diagnosis.kind).toBe('components');
    expect(first.gradient!.components[0].band).toBe('wrong');
    expect(first.gradient!.components[1].band).toBe('good');
  });
  it('says when fun returns one output', () => {
    const r = run('noGrad');
    expect(r.verdict).toBe('error');
    expect(r.error).toBe('costFunction returned 1 output; check_gradient needs [loss, gradient]');
  });
  it('refuses a verdict on a loss that does not depend on the parameter', () => {
    const r = runObjectiveCheck(checkObjective(new Mat(2, 1, Float64Array.of(1, 2))), (req) =>
      req.points.map(() => ({ loss: 3, grad: Mat.zeros(2, 1), outputs: 2 })),
    );
    expect(r.verdict).toBe('error');
    expect(r.error).toMatch(/does not depend on x/);
  });
  it('checks a Hessian against differences of the gradient, asynchronously too', async () => {
    // f(x) = sum(x.^4)/4: grad x.^3, Hessian diag(3x.^2); the wrong Hessian forgets the 3.
    const f = (x: Mat, wrong: boolean): ObjectiveValue => ({
      loss: x.data.reduce((s, v) => s + v ** 4 / 4, 0),
      grad: x.map((v) => v ** 3),
      hess: new Mat(x.size, x.size, Float64Array.from({ length: x.size * x.size }, (_, k) => (k % (x.size + 1) === 0 ? (wrong ? 1 : 3) * x.data[k / (x.size + 1)] ** 2 : 0))),
      outputs: 3,
    });
    const x0 = new Mat(3, 1, Float64Array.of(0.5, -1, 2));
    const good = await runObjectiveCheckAsync(checkObjective(x0), async (r) => r.points.map((p) => f(p, false)));
    expect(good.verdict).toBe('pass');
    expect(good.hessian!.verdict).toBe('pass');
    const bad = runObjectiveCheck(checkObjective(x0), (r) => r.points.map((p) => f(p, true)));
    expect(bad.verdict).toBe('fail');
    expect(bad.gradient!.verdict).toBe('pass');
    expect(bad.hessian!.diagnosis.kind).toBe('scale');
    expect(bad.hessian!.diagnosis.factor).toBeCloseTo(3, 6);
  });
  it('labels components in NumPy notation', () => {
    const r = runObjectiveCheck(checkObjective(new Mat(2, 2, Float64Array.of(1, 2, 3, 4)), { notation: 'python', param: 'W' }), (req) =>
      req.points.map((p) => ({ loss: p.data.reduce((s, v) => s + v * v, 0), grad: p.map((v) => 2 * v), outputs: 2 })),
    );
    expect(r.gradient!.components.map((c) => c.index)).toEqual(['[0, 0]', '[1, 0]', '[0, 1]', '[1, 1]']);
    expect(r.gradient!.components.map((c) => c.name)).toEqual(['W[0, 0]', 'W[1, 0]', 'W[0, 1]', 'W[1, 1]']);
  });
  it('names the table rows exactly as the diagnosis names the wrong components (Octave and NumPy)', () => {
    for (const [notation, param] of [['octave', 'theta'], ['python', 'w']] as const) {
      // Only the second of three components is wrong (doubled).
      const r = runObjectiveCheck(checkObjective(new Mat(3, 1, Float64Array.of(0.5, -1, 2)), { notation, param }), (req) =>
        req.points.map((p) => ({ loss: p.data.reduce((s, v) => s + v * v, 0), grad: new Mat(3, 1, Float64Array.from(p.data, (v, i) => (i === 1 ? 4 * v : 2 * v))), outputs: 2 })),
      );
      const g = r.gradient!;
      expect(g.diagnosis.kind).toBe('components');
      const wrong = g.components.filter((c) => c.band === 'wrong').map((c) => c.name);
      expect(wrong).toEqual([notation === 'octave' ? 'theta(2)' : 'w[1]']);
      expect(g.diagnosis.components).toEqual(wrong);
      expect(g.diagnosis.message).toContain(wrong[0]);
    }
  });
});
