/**
 * The checker panel's saved UI state: the editor's text. Versioned; a state of another version, or
 * one that does not validate, is dropped (the panel then starts empty).
 */
export const GRADCHECK_STATE_VERSION = 1;

export interface GradcheckSavedState {
  v: typeof GRADCHECK_STATE_VERSION;
  source: string;
}

/** Sources longer than this are not saved (the state is for the UI, not for data). */
export const MAX_SAVED_SOURCE = 200_000;

export function parseGradcheckState(raw: unknown): GradcheckSavedState | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const s = raw as Record<string, unknown>;
  if (s.v !== GRADCHECK_STATE_VERSION || typeof s.source !== 'string' || s.source.length > MAX_SAVED_SOURCE) return null;
  return { v: GRADCHECK_STATE_VERSION, source: s.source };
}

export function gradcheckState(source: string): GradcheckSavedState {
  return { v: GRADCHECK_STATE_VERSION, source: source.length > MAX_SAVED_SOURCE ? '' : source };
}
