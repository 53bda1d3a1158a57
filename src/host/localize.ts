/**
 * Localization for the host modules that stay free of the vscode API (so unit and browser tests can
 * load them): `localize(message, ...args)` has vscode.l10n.t's contract (the English message is the
 * key, `{0}`, `{1}`… are replaced by the arguments). Until the extension installs vscode.l10n.t with
 * setTranslator() in activate(), it formats the English message. Modules that import vscode call
 * vscode.l10n.t directly. Every message of either form has an entry in l10n/bundle.l10n.json
 * (test/unit/host/manifest.test.ts checks it), so the first argument must be a string literal.
 */
import { formatMessage } from '../protocol/l10n';

export { formatMessage };

export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

const english: Translate = (message, ...args) => formatMessage(message, args);
let current: Translate = english;

/** Installs the translator (the extension passes vscode.l10n.t); undefined restores plain English. */
export function setTranslator(translate: Translate | undefined): void {
  current = translate ?? english;
}

export function localize(message: string, ...args: Array<string | number | boolean>): string {
  return current(message, ...args);
}
