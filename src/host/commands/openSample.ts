import * as vscode from 'vscode';
import type { PanelServices } from '../modelPanel';
import { openPanel } from './showPanel';

export interface Sample {
  file: string;
  label: string;
  detail: string;
}

/** The bundled samples (samples/ in the extension), in quick-pick order (label and detail localized when read). */
// One getter pair per sample on purpose: each vscode.l10n.t call keeps its literal string (the l10n export finds it) and reads the locale when shown.
export const SAMPLES: readonly Sample[] = [
  {
    file: 'blobs3.csv',
    get label() {
      return vscode.l10n.t('Three blobs');
    },
    get detail() {
      return vscode.l10n.t('2 features, 3 classes: softmax regression with a decision-boundary plot');
    },
  },
  {
    file: 'binary.csv',
    get label() {
      return vscode.l10n.t('Binary');
    },
    get detail() {
      return vscode.l10n.t('2 features, 2 classes: logistic regression, ROC and PR curves, threshold');
    },
  },
  {
    file: 'iris.csv',
    get label() {
      return vscode.l10n.t('Iris');
    },
    get detail() {
      return vscode.l10n.t("Fisher's iris: 4 measurements, 3 species");
    },
  },
  {
    file: 'circles.csv',
    get label() {
      return vscode.l10n.t('Circles');
    },
    get detail() {
      return vscode.l10n.t('2 features, two rings: no straight line separates them; degree-2 features do');
    },
  },
];

/**
 * `logitLab.openSample`: pick a bundled sample, open it read-only beside the model panel. The
 * sample stays untouched: exports default to the workspace folder and go to new files.
 * An argument (a sample file name such as "blobs3.csv") skips the quick pick.
 */
export async function openSampleCommand(services: PanelServices, arg?: unknown): Promise<{ file: string } | undefined> {
  const dir = vscode.Uri.joinPath(services.context.extensionUri, 'samples');
  const present: Sample[] = [];
  for (const s of SAMPLES) {
    try {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(dir, s.file));
      present.push(s);
    } catch {
      // not bundled (yet)
    }
  }
  let sample = typeof arg === 'string' ? present.find((s) => s.file === arg || s.file === `${arg}.csv`) : undefined;
  if (!sample) {
    if (typeof arg === 'string') throw new Error(vscode.l10n.t('there is no bundled sample "{0}"', arg));
    if (present.length === 0) throw new Error(vscode.l10n.t('no bundled samples were found in the extension'));
    const pick = await vscode.window.showQuickPick(
      present.map((s) => ({ label: s.label, description: s.file, detail: s.detail, sample: s })),
      { title: vscode.l10n.t('Logit Lab: Open Sample Dataset'), placeHolder: vscode.l10n.t('Choose a sample dataset') },
    );
    sample = pick?.sample;
  }
  if (!sample) return undefined;
  const uri = vscode.Uri.joinPath(dir, sample.file);
  await vscode.window.showTextDocument(uri, { preview: true, preserveFocus: false });
  // The bundled file is read-only for this session (best effort: the command exists since VS Code 1.79).
  await vscode.commands.executeCommand('workbench.action.files.setActiveEditorReadonlyInSession').then(undefined, () => undefined);
  openPanel(services, uri);
  return { file: uri.toString() };
}
