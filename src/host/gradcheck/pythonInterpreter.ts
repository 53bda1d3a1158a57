/**
 * Which Python runs the checks in the editor: the interpreter selected in the Python extension
 * (ms-python.python), read through its published API (@vscode/python-extension:
 * `environments.getActiveEnvironmentPath(resource)` and `environments.resolveEnvironment(path)`);
 * else the `python.defaultInterpreterPath` setting; else `python3` on PATH.
 */
import { PVSC_EXTENSION_ID, PythonExtension } from '@vscode/python-extension';
import * as vscode from 'vscode';

export interface ChosenPython {
  path: string;
  source: string;
}

export async function resolvePython(resource: vscode.Uri): Promise<ChosenPython> {
  if (vscode.extensions.getExtension(PVSC_EXTENSION_ID)) {
    try {
      const api = await PythonExtension.api();
      const active = api.environments.getActiveEnvironmentPath(resource);
      const resolved = await api.environments.resolveEnvironment(active);
      const path = resolved?.executable.uri?.fsPath ?? active.path;
      if (path) return { path, source: vscode.l10n.t('the interpreter selected in the Python extension') };
    } catch {
      // The extension is installed but its API is unavailable: fall back to the setting.
    }
  }
  const setting = vscode.workspace.getConfiguration('python', resource).get<string>('defaultInterpreterPath');
  if (setting && setting.trim() !== '' && setting.trim() !== 'python') return { path: setting.trim(), source: vscode.l10n.t('the python.defaultInterpreterPath setting') };
  return { path: 'python3', source: vscode.l10n.t('python3 on PATH') };
}
