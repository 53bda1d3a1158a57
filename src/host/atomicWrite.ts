import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { sameFile as sameRealFile } from '../node/outputPaths';

/**
 * Writes a file atomically: the data goes to a temp file beside the target, which is then renamed
 * over it, so a failed write leaves no half-written file (and the temp file is removed).
 * Refuses to write over any of `protect` (the user's data file).
 */
export async function writeFileAtomic(target: vscode.Uri, data: Uint8Array | string, protect: vscode.Uri[] = []): Promise<void> {
  if (protect.some((p) => sameFile(p, target))) {
    throw new Error(vscode.l10n.t('refusing to overwrite the data file {0}; choose a new file', target.fsPath));
  }
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const dir = vscode.Uri.joinPath(target, '..');
  const tmp = vscode.Uri.joinPath(dir, `.${path.posix.basename(target.path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await vscode.workspace.fs.writeFile(tmp, bytes);
    await vscode.workspace.fs.rename(tmp, target, { overwrite: true });
  } catch (error) {
    await vscode.workspace.fs.delete(tmp).then(undefined, () => undefined);
    throw error;
  }
}

export function sameFile(a: vscode.Uri, b: vscode.Uri): boolean {
  if (a.scheme !== b.scheme || a.authority !== b.authority) return false;
  if (a.scheme === 'file') {
    // The same file by device and inode (a symlinked directory, a hard link), else by path.
    if (sameRealFile(a.fsPath, b.fsPath)) return true;
    const pa = path.resolve(a.fsPath);
    const pb = path.resolve(b.fsPath);
    return process.platform === 'linux' ? pa === pb : pa.toLowerCase() === pb.toLowerCase();
  }
  return a.path === b.path;
}
