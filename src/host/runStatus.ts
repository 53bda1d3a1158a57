/**
 * A training run's status bar item: a still icon and the run's progress in words ("Logit Lab: training
 * on data.csv · iteration 12/1000"); a click reveals the run's panel (its Cancel button is there).
 *
 * Not `withProgress(ProgressLocation.Window)`: that draws a spinning icon in the status bar, an endless
 * animation that makes the workbench composite a frame 60 times a second for the whole run. In a
 * browser without a GPU (code-server on a small machine) it took 1.4-3.1 s of the browser's CPU per
 * 10-class run, on the cores the run itself needs (docs/performance.md, "hpanel5"). Window progress has
 * no cancel button either (only notifications do), so nothing is lost.
 */
import * as vscode from 'vscode';

export interface RunStatusItem {
  /** Shows `message` (the progress in words) beside the run's title. */
  report(message: string): void;
  dispose(): void;
}

/** The status bar item of a run on `fileName`; `reveal` is the command (with its arguments) a click runs. */
export function runStatusItem(fileName: string, reveal: vscode.Command): RunStatusItem {
  const item = vscode.window.createStatusBarItem('logitLab.training', vscode.StatusBarAlignment.Left, 100);
  const title = vscode.l10n.t('Logit Lab: training on {0}', fileName);
  item.name = vscode.l10n.t('Logit Lab training');
  item.command = reveal;
  item.tooltip = vscode.l10n.t('Training on {0}: click to show its panel (Cancel is there).', fileName);
  let shown = '';
  const show = (message: string): void => {
    const text = `$(graph-line) ${message ? `${title} · ${message}` : title}`;
    // A status bar update is a message to the workbench: only when the words change.
    if (text === shown) return;
    shown = text;
    item.text = text;
  };
  show('');
  item.show();
  return { report: show, dispose: () => item.dispose() };
}
