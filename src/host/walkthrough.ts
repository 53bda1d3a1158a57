import * as vscode from 'vscode';

/**
 * Context keys that check off steps of the Getting Started walkthrough (package.json
 * contributes.walkthroughs, `completionEvents: ["onContext:<key>"]`). The host sets each one when
 * the real action happened; VS Code remembers completed steps, so a key only needs to be set once
 * per session.
 */
export const WALKTHROUGH_CONTEXT = {
  /** A training run finished (from the command, the panel's Train button or autoTrainOnOpen). */
  trained: 'logitLab.walkthrough.trained',
  /** The user worked in a model panel that has a trained model: trained again, exported, cancelled, reloaded. */
  panelUsed: 'logitLab.walkthrough.panelUsed',
  /** "Compare solvers" finished in a model panel. */
  solversCompared: 'logitLab.walkthrough.solversCompared',
  /** A loss landscape was computed in a model panel. */
  landscapeShown: 'logitLab.walkthrough.landscapeShown',
  /** A cross-validation of C finished in a model panel's Model selection tab. */
  crossValidated: 'logitLab.walkthrough.crossValidated',
  /** A gradient check ran (a CodeLens, the Check Gradient command, or the checker panel's Check button). */
  gradientChecked: 'logitLab.walkthrough.gradientChecked',
} as const;

export type WalkthroughContextKey = (typeof WALKTHROUGH_CONTEXT)[keyof typeof WALKTHROUGH_CONTEXT];

const done = new Set<WalkthroughContextKey>();

/** Sets a walkthrough context key to true (once per session; a failure to set it is ignored). */
export function markWalkthroughStep(key: WalkthroughContextKey): void {
  if (done.has(key)) return;
  done.add(key);
  void vscode.commands.executeCommand('setContext', key, true).then(undefined, () => done.delete(key));
}
