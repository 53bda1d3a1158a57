/**
 * The update rule of the first-order solvers as a reusable object: one step along an (estimated)
 * smooth gradient with plain steps, heavy-ball momentum or Adam, followed by the proximal
 * (soft-threshold) step of the L1 part. gd.ts's solvers and the streaming trainer (streaming.ts) share it.
 */
import { softThreshold } from './prox';
import type { OptimizerName } from './types';

const BETA1 = 0.9;
const BETA2 = 0.999;
const ADAM_EPS = 1e-8;
const EXP_DECAY = 0.99;

export interface Stepper {
  /** One optimizer step on x along `grad` with learning rate eta, then the prox of eta·λ|x|. */
  update(x: Float64Array, grad: Float64Array, eta: number): void;
  /** Steps taken so far. */
  readonly steps: number;
}

/**
 * A stepper for `n` parameters: optimizer 'sgd' (plain), 'momentum' (coefficient mu in [0, 1)) or
 * 'adam'; lambda is the L1 strength on the coordinates with mask[j] = 1 (0: no prox).
 */
export function createStepper(n: number, optimizer: OptimizerName, mu: number, mask: Uint8Array, lambda: number): Stepper {
  const velocity = optimizer === 'sgd' ? null : new Float64Array(n);
  const second = optimizer === 'adam' ? new Float64Array(n) : null;
  const tau = optimizer === 'adam' && lambda > 0 ? new Float64Array(n) : null;
  let steps = 0;
  return {
    get steps() {
      return steps;
    },
    update(x: Float64Array, grad: Float64Array, eta: number): void {
      steps++;
      if (velocity === null) {
        for (let j = 0; j < n; j++) x[j] -= eta * grad[j];
        if (lambda > 0) softThreshold(x, mask, eta * lambda);
      } else if (second === null) {
        for (let j = 0; j < n; j++) {
          velocity[j] = mu * velocity[j] + grad[j];
          x[j] -= eta * velocity[j];
        }
        // At a fixed point the velocity is grad/(1-μ), so the threshold scales likewise.
        if (lambda > 0) softThreshold(x, mask, (eta * lambda) / (1 - mu));
      } else {
        const c1 = 1 - Math.pow(BETA1, steps);
        const c2 = 1 - Math.pow(BETA2, steps);
        for (let j = 0; j < n; j++) {
          const gj = grad[j];
          velocity[j] = BETA1 * velocity[j] + (1 - BETA1) * gj;
          second[j] = BETA2 * second[j] + (1 - BETA2) * gj * gj;
          const rate = eta / (Math.sqrt(second[j] / c2) + ADAM_EPS);
          x[j] -= (rate * velocity[j]) / c1;
          if (tau) tau[j] = rate * lambda;
        }
        if (tau) softThreshold(x, mask, tau);
      }
    },
  };
}

/** Learning-rate factor of epoch e (0-based): constant 1, invscaling 1/√(1+e), exponential 0.99^e. */
export function scheduleFactor(schedule: 'constant' | 'invscaling' | 'exponential', e: number): number {
  switch (schedule) {
    case 'constant':
      return 1;
    case 'invscaling':
      return 1 / Math.sqrt(1 + e);
    case 'exponential':
      return Math.pow(EXP_DECAY, e);
  }
}
