import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, validateSettings, type TrainSettings } from '../core/run/settings';

export const CONFIG_SECTION = 'logitLab';

/**
 * The training defaults from the user's settings (`logitLab.*`, contributes.configuration) over
 * DEFAULT_SETTINGS. A value that fails validation falls back to the built-in default (logged).
 */
export function defaultTrainSettings(scope?: vscode.Uri, warn: (m: string) => void = () => undefined): TrainSettings {
  const c = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  const merged: TrainSettings = {
    ...DEFAULT_SETTINGS,
    target: [],
    features: [],
    solver: c.get('solver', DEFAULT_SETTINGS.solver),
    penalty: c.get('penalty', DEFAULT_SETTINGS.penalty),
    C: c.get('C', DEFAULT_SETTINGS.C),
    standardize: c.get('standardize', DEFAULT_SETTINGS.standardize),
    testSize: c.get('testSize', DEFAULT_SETTINGS.testSize),
    seed: c.get('seed', DEFAULT_SETTINGS.seed),
    maxPoints: c.get('maxPoints', DEFAULT_SETTINGS.maxPoints),
  };
  const problems = validateSettings(merged);
  if (problems.length === 0) return merged;
  warn(`ignoring invalid logitLab.* settings (${problems.join('; ')}); using the built-in defaults`);
  return { ...DEFAULT_SETTINGS, target: [], features: [] };
}

export function autoTrainOnOpen(scope?: vscode.Uri): boolean {
  return vscode.workspace.getConfiguration(CONFIG_SECTION, scope).get('autoTrainOnOpen', false);
}
