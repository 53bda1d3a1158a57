/** The Model tab: the model as math, the decision boundary, the coefficients (table and chart, then per-class maps), their inference, then two textbook facts on the fit. */
import type { RunRecord } from '../../../src/protocol/panel';
import { el } from '../dom';
import type { ViewContext } from '../context';
import { boundaryView } from './boundaryView';
import { coefficientMapsView } from './coefficientMaps';
import { coefficientsView } from './coefficientsView';
import { formulaView } from './formulaView';
import { inferenceView } from './inferenceView';
import { shiftInvarianceView, softmaxSigmoidView } from './factsView';
import { featureExpansionView } from './featureExpansionView';
import { perceptronView } from './perceptronView';

export function modelView(ctx: ViewContext, run: RunRecord, container: HTMLElement): HTMLElement {
  return el(
    'div',
    { class: 'll-model' },
    formulaView(run.report),
    boundaryView(ctx, run, container),
    featureExpansionView(ctx, run),
    perceptronView(ctx, run, container),
    coefficientsView(ctx, run, container),
    coefficientMapsView(ctx, run, container),
    inferenceView(ctx, run, container),
    softmaxSigmoidView(run),
    shiftInvarianceView(run),
  );
}
