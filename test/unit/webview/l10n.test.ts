/**
 * The webviews' t() (webview/l10n.ts) and the bundle the host hands over on <body data-l10n>
 * (webviewDocument). That every t() message is in l10n/bundle.l10n.json is checked with the host's
 * messages in test/unit/host/manifest.test.ts; that a bundle changes the rendered panel, in
 * test/browser/run.mjs ("localized: …").
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readBundle, setL10nBundle, t } from '../../../webview/l10n';
import { webviewDocument } from '../../../src/host/webviewDocument';

afterEach(() => setL10nBundle(undefined));

describe('t()', () => {
  it('formats English with {0}-style arguments when there is no bundle', () => {
    setL10nBundle({});
    expect(t('Runs ({0})', 3)).toBe('Runs (3)');
    expect(t('{0} finished in {1}.', '#2', '1.2 s')).toBe('#2 finished in 1.2 s.');
  });
  it('uses the bundle’s translation, placeholders in its own order', () => {
    setL10nBundle({ 'Compare A: {0} with B: {1} ({2})': 'Vergleich ({2}): B {1} gegen A {0}' });
    expect(t('Compare A: {0} with B: {1} ({2})', '#1', '#2', 'test')).toBe('Vergleich (test): B #2 gegen A #1');
    expect(t('Runs')).toBe('Runs');
  });
  it('keeps markup in arguments as text (the caller puts the result into the DOM as text)', () => {
    setL10nBundle({});
    expect(t('Class balance of “{0}”', '<img src=x onerror=alert(1)>')).toBe('Class balance of “<img src=x onerror=alert(1)>”');
  });
});

describe('the bundle on <body data-l10n>', () => {
  it('reads a JSON object of strings and ignores anything else', () => {
    expect(readBundle(JSON.stringify({ Runs: 'Läufe', n: 3 }))).toEqual({ Runs: 'Läufe' });
    expect(readBundle('not json')).toEqual({});
    expect(readBundle('[1]')).toEqual({});
    expect(readBundle(undefined)).toEqual({});
  });
  it('is written by webviewDocument as an escaped attribute that reads back unchanged', () => {
    const bundle = { 'Class balance of “{0}”': 'Klassen von „{0}“ <b>&"', Runs: 'Läufe' };
    const html = webviewDocument({ cspSource: 'https://x', nonce: 'n', title: 'T', scriptUri: 's.js', styleUris: [], l10n: bundle, lang: 'de' });
    expect(html).toContain('<html lang="de">');
    const attr = /<body data-l10n="([^"]*)">/.exec(html)![1];
    expect(attr).not.toContain('<');
    const decoded = attr.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(readBundle(decoded)).toEqual(bundle);
    // English: no attribute at all.
    expect(webviewDocument({ cspSource: 'https://x', nonce: 'n', title: 'T', scriptUri: 's.js', styleUris: [] })).toContain('<body>');
  });
});
