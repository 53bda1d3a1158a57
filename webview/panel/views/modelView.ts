/** The Model tab: the model as math, the decision boundary, the coefficients (table and chart, then per-class maps), their inference. */
import type { RunRecord } from '../../../src/protocol/panel';
import { el } from '../dom';
import type { ViewContext } from '../context';
import { boundaryView } from './boundaryView';
import { coefficientMapsView } from './coefficientMaps';
import { coefficientsView } from './coefficientsView';
import { formulaView } from './formulaView';
import { inferenceView } from './inferenceView';

export function modelView(ctx: ViewContext, run: RunRecord, container: HTMLElement): HTMLElement {
  return el('div', { class: 'll-model' }, formulaView(run.report), boundaryView(ctx, run, container), coefficientsView(ctx, run, container), coefficientMapsView(ctx, run, container), inferenceView(ctx, run, container));
}
