/**
 * The panel's saved UI state (VS Code keeps it across reloads and restarts through
 * getState/setState). UI state only: never data, models or reports; the host re-sends those after
 * `ready`. Versioned: a state of another version, or one that does not validate, is dropped.
 */

export const STATE_VERSION = 1;

export type TabId = 'data' | 'model' | 'evaluation' | 'training' | 'selection' | 'runs';
export const TAB_IDS: readonly TabId[] = ['data', 'model', 'evaluation', 'training', 'selection', 'runs'];

/** auto: the model's plane when there are more than two features; model: that plane; pca: the first two principal components; slice: two features, the others held. */
export type BoundaryView = 'auto' | 'model' | 'slice' | 'pca';
export const BOUNDARY_VIEWS: readonly BoundaryView[] = ['auto', 'model', 'slice', 'pca'];
export type CoefUnits = 'original' | 'standardized';
export type CalibrationView = 'none' | 'platt' | 'isotonic';
export type SplitChoice = 'train' | 'validation' | 'test';

export interface SavedState {
  v: typeof STATE_VERSION;
  tab: TabId;
  /** Feature indices on the slice's axes (null: the two largest standardized coefficients). */
  featurePair: [number, number] | null;
  boundaryView: BoundaryView;
  /** Binary decision threshold chosen with the slider (null: the model's own). */
  threshold: number | null;
  logScale: boolean;
  /** Runs checked for comparison (run ids), at most two. */
  selectedRuns: number[];
  /** The run shown in the Model / Evaluation / Training tabs (null: the latest). */
  currentRun: number | null;
  normalizeConfusion: boolean;
  coefUnits: CoefUnits;
  coefSort: { key: 'feature' | 'value' | 'abs'; descending: boolean; output: number };
  calibration: CalibrationView;
  split: SplitChoice;
  /** The data file the panel shows (from <body data-file-uri>): the serializer revives the panel on it. */
  fileUri: string | null;
}

export const DEFAULT_STATE: Readonly<SavedState> = Object.freeze<SavedState>({
  v: STATE_VERSION,
  tab: 'data',
  featurePair: null,
  boundaryView: 'auto',
  threshold: null,
  logScale: false,
  selectedRuns: [],
  currentRun: null,
  normalizeConfusion: false,
  coefUnits: 'standardized',
  coefSort: { key: 'abs', descending: true, output: 0 },
  calibration: 'none',
  split: 'test',
  fileUri: null,
});

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);
/** Runs compared side by side at most (the Runs tab's checkboxes). */
export const MAX_COMPARED_RUNS = 12;

const oneOf = <T extends string>(x: unknown, values: readonly T[]): x is T => typeof x === 'string' && (values as readonly string[]).includes(x);

/**
 * Reads a saved state: returns a complete, valid SavedState, or null when there is none, it has
 * another version, or any field is malformed (then the panel starts from DEFAULT_STATE).
 */
export function parseSavedState(raw: unknown): SavedState | null {
  if (!isObj(raw) || raw.v !== STATE_VERSION) return null;
  const s = raw;
  const pair = s.featurePair;
  const sort = s.coefSort;
  if (!oneOf(s.tab, TAB_IDS)) return null;
  if (pair !== null && (!Array.isArray(pair) || pair.length !== 2 || !pair.every((i) => isInt(i) && i >= 0))) return null;
  if (!oneOf(s.boundaryView, BOUNDARY_VIEWS)) return null;
  if (!(s.threshold === null || (typeof s.threshold === 'number' && s.threshold >= 0 && s.threshold <= 1))) return null;
  if (typeof s.logScale !== 'boolean' || typeof s.normalizeConfusion !== 'boolean') return null;
  if (!Array.isArray(s.selectedRuns) || s.selectedRuns.length > MAX_COMPARED_RUNS || !s.selectedRuns.every(isInt) || new Set(s.selectedRuns).size !== s.selectedRuns.length) return null;
  if (!(s.currentRun === null || isInt(s.currentRun))) return null;
  if (!oneOf(s.coefUnits, ['original', 'standardized'] as const)) return null;
  if (!isObj(sort) || !oneOf(sort.key, ['feature', 'value', 'abs'] as const) || typeof sort.descending !== 'boolean' || !isInt(sort.output)) return null;
  if (!oneOf(s.calibration, ['none', 'platt', 'isotonic'] as const)) return null;
  if (!oneOf(s.split, ['train', 'validation', 'test'] as const)) return null;
  if (!(s.fileUri === undefined || s.fileUri === null || typeof s.fileUri === 'string')) return null;
  return {
    v: STATE_VERSION,
    tab: s.tab,
    featurePair: pair === null ? null : [pair[0] as number, pair[1] as number],
    boundaryView: s.boundaryView,
    threshold: s.threshold,
    logScale: s.logScale,
    selectedRuns: [...(s.selectedRuns as number[])],
    currentRun: s.currentRun,
    normalizeConfusion: s.normalizeConfusion,
    coefUnits: s.coefUnits,
    coefSort: { key: sort.key, descending: sort.descending, output: sort.output },
    calibration: s.calibration,
    split: s.split,
    fileUri: typeof s.fileUri === 'string' ? s.fileUri : null,
  };
}

/** The saved state, or the defaults when it is missing or unusable. */
export function loadState(raw: unknown): SavedState {
  return parseSavedState(raw) ?? { ...DEFAULT_STATE, featurePair: null, selectedRuns: [], coefSort: { ...DEFAULT_STATE.coefSort } };
}
