/**
 * The webviews' localization, with vscode.l10n.t's contract: `t('Runs ({0})', n)` looks the English
 * message up in the bundle the host put on <body data-l10n="…"> (the current VS Code language's
 * l10n/bundle.l10n.*.json; absent or "{}" in English) and replaces `{0}`, `{1}`… by the arguments.
 * Every message passed to t() is a string literal listed in l10n/bundle.l10n.json
 * (test/unit/webview/l10n.test.ts checks it). Arguments that come from a CSV or a document are
 * formatted into text: callers put the result into the DOM as text, never as HTML.
 */
import { formatMessage, L10N_DATA_KEY, type L10nBundle } from '../src/protocol/l10n';

let bundle: L10nBundle | undefined;

/** The bundle on <body data-l10n>: {} when there is none or it is not a JSON object of strings. */
export function readBundle(data: string | undefined): L10nBundle {
  if (!data) return {};
  try {
    const parsed: unknown = JSON.parse(data);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const out: L10nBundle = {};
    for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
    return out;
  } catch {
    return {};
  }
}

/** The page's <body>, typed structurally: view models that call t() also run in Node (unit tests), without the DOM. */
type Page = { document?: { body?: { dataset: Record<string, string | undefined> } | null } };

function current(): L10nBundle {
  if (bundle === undefined) bundle = readBundle((globalThis as Page).document?.body?.dataset[L10N_DATA_KEY]);
  return bundle;
}

/** Replaces the bundle (tests, and a host that sends a new one); undefined reads <body> again on next use. */
export function setL10nBundle(next: L10nBundle | undefined): void {
  bundle = next;
}

/** The localized message, formatted with the arguments. */
export function t(message: string, ...args: Array<string | number | boolean>): string {
  return formatMessage(current()[message] ?? message, args);
}
