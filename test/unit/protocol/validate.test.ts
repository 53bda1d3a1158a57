/** The runtime checks of webview messages against the protocol types (src/protocol/validate.ts). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/core/run/settings';
import { checkGradcheckMessage, checkPanelMessage } from '../../../src/protocol/validate';

const settings = { ...DEFAULT_SETTINGS, target: ['y'], features: [] as string[] };

describe('checkPanelMessage', () => {
  it('accepts every message type of WebviewToHost with its fields', () => {
    const good = [
      { type: 'ready' },
      { type: 'startTraining', settings },
      { type: 'startTraining', settings: { ...settings, learningRate: 0.1, lambda: 2, positiveClass: 'yes' } },
      { type: 'startTraining', settings: { ...settings, C: -1 } }, // a range problem is validateSettings's, not a malformed message
      { type: 'cancelTraining' },
      { type: 'exportModel', runId: 3 },
      { type: 'exportPredictions', runId: 0 },
      { type: 'exportReport', runId: 12 },
      { type: 'exportPlot', name: 'roc-curve', format: 'svg', data: '<svg/>' },
      { type: 'reloadData' },
      { type: 'computeLandscape', runId: 2, directions: { kind: 'auto' } },
      { type: 'computeLandscape', runId: 2, directions: { kind: 'coefficients', i: 0, j: 3 } },
      { type: 'descend', runId: 2, factor: 1.05 },
      { type: 'crossValidate', runId: 2, request: { folds: 5, Cs: [0.01, 0.1, 1], scoring: 'roc_auc', rule: '1se', penalty: 'l1' } },
      { type: 'cancelCrossValidation' },
      { type: 'loadCurves', runId: 4, split: 'validation' },
    ];
    for (const m of good) expect(checkPanelMessage(m), JSON.stringify(m)).toEqual({ ok: true, message: m });
  });

  it('rejects what the protocol does not allow, saying what is wrong', () => {
    const cases: [unknown, string][] = [
      [null, 'the message is not an object'],
      ['ready', 'the message is not an object'],
      [{ type: 'launchMissiles' }, 'unknown message type "launchMissiles"'],
      [{}, 'unknown message type undefined'],
      [{ type: 'toString' }, 'unknown message type "toString"'],
      [{ type: 'exportModel', runId: '3' }, "'exportModel': field 'runId' is not a run id (a non-negative integer)"],
      [{ type: 'exportModel', runId: 1.5 }, "'exportModel': field 'runId' is not a run id (a non-negative integer)"],
      [{ type: 'exportModel' }, "'exportModel': field 'runId' is not a run id (a non-negative integer)"],
      [{ type: 'exportPlot', name: 'x', format: 'gif', data: '' }, "'exportPlot': field 'format' is not one of svg, png"],
      [{ type: 'cancelTraining', now: true }, "'cancelTraining' has an unknown field 'now'"],
      [{ type: 'startTraining', settings: 'fast' }, "'startTraining': field 'settings' is not an object"],
      [{ type: 'startTraining', settings: { ...settings, C: '1' } }, "'startTraining': field 'settings' field 'C' is not a number"],
      [{ type: 'startTraining', settings: { ...settings, solver: 'adamw' } }, "'startTraining': field 'settings' field 'solver' is not one of auto, lbfgs, newton, newton-cholesky, gd, sgd, minibatch"],
      [{ type: 'startTraining', settings: { ...settings, target: [1] } }, "'startTraining': field 'settings' field 'target' is not a list of column names"],
      [{ type: 'startTraining', settings: { ...settings, rm: '-rf' } }, "'startTraining': field 'settings' has an unknown field 'rm'"],
      [{ type: 'startTraining', settings: { ...settings, learningRate: '0.1' } }, "'startTraining': field 'settings' field 'learningRate' is not a number"],
      [{ type: 'computeLandscape', runId: 1, directions: { kind: 'coefficients', i: 2, j: 2 } }, "'computeLandscape': field 'directions' needs two different coefficient indices i and j"],
      [{ type: 'computeLandscape', runId: 1, directions: { kind: 'coefficients', i: -1, j: 2 } }, "'computeLandscape': field 'directions' needs two different coefficient indices i and j"],
      [{ type: 'computeLandscape', runId: 1, directions: { kind: 'random' } }, "'computeLandscape': field 'directions' kind is not 'auto' or 'coefficients'"],
      [{ type: 'computeLandscape', runId: 1, directions: { kind: 'auto', i: 1 } }, "'computeLandscape': field 'directions' has fields besides kind"],
      [{ type: 'descend', runId: 1, factor: 0 }, "'descend': field 'factor' is not a positive number up to 100"],
      [{ type: 'descend', runId: 1, factor: Infinity }, "'descend': field 'factor' is not a positive number up to 100"],
      [{ type: 'loadCurves', runId: 1, split: 'holdout' }, "'loadCurves': field 'split' is not one of train, validation, test"],
      [{ type: 'loadCurves', split: 'test' }, "'loadCurves': field 'runId' is not a run id (a non-negative integer)"],
      [{ type: 'crossValidate', runId: 1 }, "'crossValidate': field 'request' is not an object"],
      [{ type: 'crossValidate', runId: 1, request: { folds: 1, Cs: [1], scoring: 'accuracy', rule: 'best', penalty: 'l2' } }, "'crossValidate': field 'request' field 'folds' is not an integer from 2 to 100"],
      [{ type: 'crossValidate', runId: 1, request: { folds: 5, Cs: [], scoring: 'accuracy', rule: 'best', penalty: 'l2' } }, "'crossValidate': field 'request' field 'Cs' is not a list of 1 to 100 positive numbers"],
      [{ type: 'crossValidate', runId: 1, request: { folds: 5, Cs: [1, -2], scoring: 'accuracy', rule: 'best', penalty: 'l2' } }, "'crossValidate': field 'request' field 'Cs' is not a list of 1 to 100 positive numbers"],
      [{ type: 'crossValidate', runId: 1, request: { folds: 5, Cs: Array(101).fill(1), scoring: 'accuracy', rule: 'best', penalty: 'l2' } }, "'crossValidate': field 'request' field 'Cs' is not a list of 1 to 100 positive numbers"],
      [{ type: 'crossValidate', runId: 1, request: { folds: 5, Cs: [1], scoring: 'f1', rule: 'best', penalty: 'l2' } }, "'crossValidate': field 'request' field 'scoring' is not one of neg_log_loss, accuracy, roc_auc"],
      [{ type: 'crossValidate', runId: 1, request: { folds: 5, Cs: [1], scoring: 'accuracy', rule: 'best', penalty: 'none' } }, "'crossValidate': field 'request' field 'penalty' is not one of l2, l1, elasticnet"],
      [{ type: 'crossValidate', runId: 1, request: { folds: 5, Cs: [1], scoring: 'accuracy', rule: 'best', penalty: 'l2', shuffle: true } }, "'crossValidate': field 'request' has an unknown field 'shuffle'"],
    ];
    for (const [m, error] of cases) expect(checkPanelMessage(m), JSON.stringify(m)).toEqual({ ok: false, error });
  });
});

describe('checkGradcheckMessage', () => {
  it('accepts ready and runCheck, rejects the rest', () => {
    expect(checkGradcheckMessage({ type: 'ready' }).ok).toBe(true);
    expect(checkGradcheckMessage({ type: 'runCheck', source: 'f(x) = x^2' })).toEqual({ ok: true, message: { type: 'runCheck', source: 'f(x) = x^2' } });
    expect(checkGradcheckMessage({ type: 'runCheck', source: 42 })).toEqual({ ok: false, error: "'runCheck': field 'source' is not a string" });
    expect(checkGradcheckMessage({ type: 'startTraining', settings })).toEqual({ ok: false, error: 'unknown message type "startTraining"' });
  });
});
