/**
 * Which Python runs the checks in the editor: the interpreter selected in the Python extension
 * (ms-python.python), read through its published API (the shape @vscode/python-extension types:
 * `environments.getActiveEnvironmentPath(resource)` and `environments.resolveEnvironment(path)`);
 * else the `python.defaultInterpreterPath` setting; else `python3` on PATH.
 */
import * as vscode from 'vscode';

export interface ChosenPython {
  path: string;
  source: string;
}

/** The subset of the Python extension's API (PythonExtension in @vscode/python-extension) used here. */
interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { id: string; path: string };
    resolveEnvironment(environment: { id: string; path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
}

export const PYTHON_EXTENSION_ID = 'ms-python.python';

export async function resolvePython(resource: vscode.Uri): Promise<ChosenPython> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
  if (extension) {
    try {
      const api = extension.isActive ? extension.exports : await extension.activate();
      const active = api?.environments?.getActiveEnvironmentPath(resource);
      if (active) {
        const resolved = await api!.environments!.resolveEnvironment(active);
        const path = resolved?.executable?.uri?.fsPath ?? active.path;
        if (path) return { path, source: vscode.l10n.t('the interpreter selected in the Python extension') };
      }
    } catch {
      // The extension is installed but its API is unavailable: fall back to the setting.
    }
  }
  const setting = vscode.workspace.getConfiguration('python', resource).get<string>('defaultInterpreterPath');
  if (setting && setting.trim() !== '' && setting.trim() !== 'python') return { path: setting.trim(), source: vscode.l10n.t('the python.defaultInterpreterPath setting') };
  return { path: 'python3', source: vscode.l10n.t('python3 on PATH') };
}
