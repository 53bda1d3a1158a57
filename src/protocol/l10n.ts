/**
 * Localization shared by the host and the webviews: a message is its English text (the key of
 * l10n/bundle.l10n.json, as with vscode.l10n.t), `{0}`, `{1}`… are replaced by the arguments. The
 * host hands a webview the current language's bundle (vscode.l10n.bundle) as JSON in the
 * `data-l10n` attribute of its <body> (webviewDocument's `l10n` option); the webview's `t()`
 * (webview/l10n.ts) looks messages up there and formats them with formatMessage.
 */

/** Message (the English text) → translation, as in l10n/bundle.l10n.json. */
export type L10nBundle = Record<string, string>;

/** The <body> data attribute that carries the bundle (`data-l10n`, `document.body.dataset.l10n`). */
export const L10N_DATA_KEY = 'l10n';

/** Replaces `{0}`, `{1}`… by the arguments (a placeholder without an argument stays as it is). */
export function formatMessage(message: string, args: ReadonlyArray<string | number | boolean>): string {
  return message.replace(/\{(\d+)\}/g, (whole, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : whole));
}
