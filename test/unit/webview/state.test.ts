import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, loadState, parseSavedState } from '../../../webview/state';

describe('saved UI state', () => {
  const good = { ...DEFAULT_STATE, tab: 'evaluation', threshold: 0.7, selectedRuns: [1, 3], featurePair: [2, 0] };

  it('accepts a complete v1 state and copies it', () => {
    const s = parseSavedState(JSON.parse(JSON.stringify(good)));
    expect(s).toEqual(good);
    expect(s).not.toBe(good);
  });

  it('drops another version, or anything malformed', () => {
    expect(parseSavedState({ ...good, v: 2 })).toBeNull();
    expect(parseSavedState(undefined)).toBeNull();
    expect(parseSavedState({ ...good, tab: 'nope' })).toBeNull();
    expect(parseSavedState({ ...good, threshold: 1.5 })).toBeNull();
    // Any number of runs can be compared (up to MAX_COMPARED_RUNS), each once.
    expect(parseSavedState({ ...good, selectedRuns: [1, 2, 3] })?.selectedRuns).toEqual([1, 2, 3]);
    expect(parseSavedState({ ...good, selectedRuns: [1, 1] })).toBeNull();
    expect(parseSavedState({ ...good, selectedRuns: Array.from({ length: 13 }, (_, i) => i) })).toBeNull();
    expect(parseSavedState({ ...good, featurePair: [0] })).toBeNull();
    expect(parseSavedState({ ...good, coefSort: { key: 'x', descending: true, output: 0 } })).toBeNull();
  });

  it('defaults: the automatic boundary view, slice axes from the coefficients, standardized coefficients', () => {
    expect(DEFAULT_STATE.boundaryView).toBe('auto');
    expect(DEFAULT_STATE.featurePair).toBeNull();
    expect(DEFAULT_STATE.coefUnits).toBe('standardized');
    expect(parseSavedState({ ...good, featurePair: null, boundaryView: 'model' })).toMatchObject({ featurePair: null, boundaryView: 'model' });
    expect(parseSavedState({ ...good, boundaryView: 'tsne' })).toBeNull();
  });

  it('falls back to the defaults', () => {
    expect(loadState({ v: 0 })).toEqual(DEFAULT_STATE);
    expect(loadState(good).tab).toBe('evaluation');
  });

  it('holds UI state only: no data fields (fileUri names the panel file, for the serializer)', () => {
    expect(Object.keys(DEFAULT_STATE).sort()).toEqual(['boundaryView', 'calibration', 'coefSort', 'coefUnits', 'currentRun', 'featurePair', 'fileUri', 'logScale', 'normalizeConfusion', 'selectedRuns', 'split', 'tab', 'threshold', 'v']);
  });
});
