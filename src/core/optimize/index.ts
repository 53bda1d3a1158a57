/** Entry point of the solvers: minimize(loss, solver, options, theta0). */
import type { LinearModelLoss } from '../model/loss';
import { firstOrder } from './gd';
import { lbfgs } from './lbfgs';
import { newton } from './newton';
import { newtonCholesky } from './newtonCholesky';
import type { SolverName, SolverOptions, SolverResult } from './types';

export type { IterationInfo, OptimizerName, SolverName, SolverOptions, SolverResult, StopReason } from './types';

/**
 * Minimizes the full scaled objective F of `loss` from theta0 (default zeros; not modified). Unused
 * intercept slots are held at 0. Throws for invalid options and for newton or newton-cholesky with an L1 part.
 */
export function minimize(loss: LinearModelLoss, solver: SolverName, options: SolverOptions = {}, theta0?: Float64Array): SolverResult {
  const theta = new Float64Array(loss.nParams);
  if (theta0) {
    if (theta0.length !== loss.nParams) throw new Error(`theta0 has ${theta0.length} values; the model has ${loss.nParams} parameters.`);
    theta.set(theta0);
  }
  if (!loss.fitIntercept) for (let k = 0; k < loss.nCoefRows; k++) theta[k * (loss.d + 1) + loss.d] = 0;
  switch (solver) {
    case 'lbfgs':
      return lbfgs(loss, theta, options);
    case 'newton':
      return newton(loss, theta, options);
    case 'newton-cholesky':
      return newtonCholesky(loss, theta, options);
    case 'gd':
    case 'sgd':
    case 'minibatch':
      return firstOrder(loss, solver, theta, options);
  }
}
