/** Small hand-made models for the webview view-model tests. */
import type { ModelJson } from '../../../src/core/model/model';

/** Binary model on 3 features, standardized: z = 2 x0s - 1 x1s + 0.5 x2s + 0.25 (x_s = (x - mean) / scale). */
export function binaryModel(overrides: Partial<ModelJson> = {}): ModelJson {
  const mean = [1, 2, 3];
  const scale = [2, 0.5, 1];
  const coefStandardized = [[2, -1, 0.5]];
  const interceptStandardized = [0.25];
  const coef = [coefStandardized[0].map((w, j) => w / scale[j])];
  const intercept = [interceptStandardized[0] - coefStandardized[0].reduce((s, w, j) => s + (w * mean[j]) / scale[j], 0)];
  return {
    format: 'logit-lab-model',
    version: 1,
    kind: 'binary',
    classes: ['no', 'yes'],
    targetNames: ['label'],
    featureNames: ['a', 'b', 'c'],
    features: [
      { kind: 'numeric', column: 'a', name: 'a' },
      { kind: 'numeric', column: 'b', name: 'b' },
      { kind: 'numeric', column: 'c', name: 'c' },
    ],
    preprocessor: { imputeMean: [1.5, 2.5, 3.5], mean, scale, standardize: true },
    coef,
    intercept,
    coefStandardized,
    interceptStandardized,
    threshold: 0.5,
    settings: {} as ModelJson['settings'],
    training: { solver: 'lbfgs', iterations: 3, converged: true, gradientNorm: 1e-9, objective: 1 },
    metrics: {},
    createdBy: 'test',
    ...overrides,
  };
}

/** Multinomial model on 2 raw (unstandardized) features with 3 classes. */
export function softmaxModel(): ModelJson {
  const W = [
    [1, 0],
    [0, 1],
    [-1, -1],
  ];
  return {
    ...binaryModel(),
    kind: 'multinomial',
    classes: ['A', 'B', 'C'],
    featureNames: ['x', 'y'],
    features: [
      { kind: 'numeric', column: 'x', name: 'x' },
      { kind: 'numeric', column: 'y', name: 'y' },
    ],
    preprocessor: { imputeMean: [0.5, -0.5], mean: [0, 0], scale: [1, 1], standardize: false },
    coef: W,
    intercept: [0, 0, 0],
    coefStandardized: W,
    interceptStandardized: [0, 0, 0],
  };
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
