/** The Model tab: the model as math, the decision boundary, the coefficients (table and chart, then per-class maps), their inference, then two textbook facts on the fit. */
import type { RunRecord } from '../../../src/protocol/panel';
import type { ViewContext } from '../context';
import type { Part } from '../incremental';
import { boundaryViewSteps } from './boundaryView';
import { coefficientMapsView } from './coefficientMaps';
import { coefficientsView } from './coefficientsView';
import { formulaView } from './formulaView';
import { inferenceView } from './inferenceView';
import { shiftInvarianceView, softmaxSigmoidView } from './factsView';
import { featureExpansionView } from './featureExpansionView';
import { perceptronView } from './perceptronView';

/** modelParts' index drawn first: the decision boundary (issue 12: the train command to the first boundary drawn), then the formula and the rest. */
export const MODEL_FIRST: readonly number[] = [1];

/** The tab's cards as parts (incremental.ts renders each in its own short task; the boundary in several). */
export function modelParts(ctx: ViewContext, run: RunRecord, container: HTMLElement): Part[] {
  return [
    () => formulaView(run.report),
    () => boundaryViewSteps(ctx, run, container),
    () => featureExpansionView(ctx, run),
    () => perceptronView(ctx, run, container),
    () => coefficientsView(ctx, run, container),
    () => coefficientMapsView(ctx, run, container),
    () => inferenceView(ctx, run, container),
    () => softmaxSigmoidView(run),
    () => shiftInvarianceView(run),
  ];
}
