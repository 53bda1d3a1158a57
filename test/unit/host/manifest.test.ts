/**
 * The manifest, its localization bundles and the host sources agree: every %key% of package.json is
 * in package.nls.json, every message passed to vscode.l10n.t / localize in src/host (and
 * src/extension.ts) is in l10n/bundle.l10n.json, the walkthrough's media files exist, its
 * completion events name contributed commands and context keys the host sets, and the VSIX keeps
 * the localization files. Sources are read with the TypeScript parser, not executed (they import vscode).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { formatMessage, localize, setTranslator } from '../../../src/host/localize';

const root = join(__dirname, '..', '..', '..');
const readJson = <T = Record<string, unknown>>(file: string): T => JSON.parse(readFileSync(join(root, file), 'utf8')) as T;

interface Command {
  command: string;
  title: string;
}
interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string | Record<string, string>; svg?: string; altText?: string };
  completionEvents?: string[];
}
interface Manifest {
  l10n?: string;
  icon?: string;
  license?: string;
  keywords?: string[];
  galleryBanner?: { color?: string; theme?: string };
  repository?: { url?: string };
  bugs?: { url?: string };
  homepage?: string;
  contributes: {
    commands: Command[];
    walkthroughs?: { id: string; title: string; description: string; steps: WalkthroughStep[] }[];
    [key: string]: unknown;
  };
}

const pkg = readJson<Manifest>('package.json');
const nls = readJson<Record<string, string>>('package.nls.json');
const commandIds = new Set(pkg.contributes.commands.map((c) => c.command));
const steps = (pkg.contributes.walkthroughs ?? []).flatMap((w) => w.steps);

/** Every string in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const LOCALIZERS = new Set(['vscode.l10n.t', 'l10n.t', 'localize']);

/** Messages of vscode.l10n.t / localize calls, and the calls whose message is not a string literal. */
function localizedMessages(files: string[], localizers: ReadonlySet<string> = LOCALIZERS): { messages: Map<string, string>; dynamic: string[] } {
  const messages = new Map<string, string>();
  const dynamic: string[] = [];
  for (const file of files) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && localizers.has(node.expression.getText(sf))) {
        const first = node.arguments[0];
        const where = `${relative(root, file)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
        if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
          if (!messages.has(first.text)) messages.set(first.text, where);
        } else if (!isTranslatorForwarder(node)) {
          dynamic.push(`${where}: ${node.getText(sf)}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { messages, dynamic };
}

/** `setTranslator((message, ...args) => vscode.l10n.t(message, ...args))`: forwards, has no message of its own. */
function isTranslatorForwarder(call: ts.CallExpression): boolean {
  for (let n: ts.Node | undefined = call.parent; n; n = n.parent) {
    if (ts.isCallExpression(n) && n.expression.getText() === 'setTranslator') return true;
  }
  return false;
}

const placeholders = (s: string) => [...s.matchAll(/\{(\d+)\}/g)].map((m) => m[1]).sort();

describe('package.json and package.nls.json', () => {
  const keys = [...new Set(strings(pkg).flatMap((s) => [...s.matchAll(/^%([^%\s]+)%$/g)].map((m) => m[1])))];

  it('uses %key% placeholders for the command titles, settings and walkthrough', () => {
    for (const c of pkg.contributes.commands) expect(c.title, c.command).toMatch(/^%[^%]+%$/);
    const walkthroughs = pkg.contributes.walkthroughs ?? [];
    expect(walkthroughs.length).toBeGreaterThan(0);
    for (const w of walkthroughs) {
      for (const text of [w.title, w.description, ...w.steps.flatMap((s) => [s.title, s.description])]) expect(text).toMatch(/^%[^%]+%$/);
    }
    const config = pkg.contributes.configuration as { title: string; properties: Record<string, { markdownDescription?: string; description?: string; enumDescriptions?: string[] }> };
    expect(config.title).toMatch(/^%[^%]+%$/);
    for (const [name, p] of Object.entries(config.properties)) {
      for (const text of [p.markdownDescription ?? p.description, ...(p.enumDescriptions ?? [])]) expect(text, name).toMatch(/^%[^%]+%$/);
    }
  });

  it('has every %key% in package.nls.json, and no unused keys', () => {
    const missing = keys.filter((k) => typeof nls[k] !== 'string' || nls[k].trim() === '');
    expect(missing, 'keys missing from package.nls.json').toEqual([]);
    const unused = Object.keys(nls).filter((k) => !keys.includes(k));
    expect(unused, 'keys of package.nls.json that package.json does not use').toEqual([]);
  });

  it('keeps the command titles as users know them', () => {
    const title = (id: string) => nls[pkg.contributes.commands.find((c) => c.command === id)!.title.slice(1, -1)];
    expect(title('logitLab.train')).toBe('Logit Lab: Train Logistic Regression');
    expect(title('logitLab.openSample')).toBe('Logit Lab: Open Sample Dataset');
    expect(title('logitLab.showPanel')).toBe('Logit Lab: Show Model Panel');
    expect(title('logitLab.checkGradient')).toBe('Logit Lab: Check Gradient');
  });

  it('is ready for the Marketplace: icon, banner, keywords, license and links', () => {
    expect(pkg.icon && existsSync(join(root, pkg.icon)), `icon ${pkg.icon}`).toBe(true);
    expect(pkg.galleryBanner?.color).toMatch(/^#[0-9a-fA-F]{6}$/);
    expect(['dark', 'light']).toContain(pkg.galleryBanner?.theme);
    expect(pkg.keywords?.length).toBeGreaterThan(0);
    expect(pkg.keywords!.length).toBeLessThanOrEqual(30);
    expect(new Set(pkg.keywords).size).toBe(pkg.keywords!.length);
    expect(pkg.license).toBe('MIT');
    expect(existsSync(join(root, 'LICENSE'))).toBe(true);
    // The repository is a placeholder; the links must all point at the same one.
    const base = pkg.repository?.url?.replace(/\.git$/, '');
    expect(base).toBeTruthy();
    expect(pkg.bugs?.url?.startsWith(base!)).toBe(true);
    expect(pkg.homepage?.startsWith(base!)).toBe(true);
  });
});

describe('l10n/bundle.l10n.json and the host and webview sources', () => {
  const files = [...sourceFiles(join(root, 'src', 'host')), join(root, 'src', 'extension.ts')];
  const host = localizedMessages(files);
  // The webviews localize with t() (webview/l10n.ts), from the same bundle.
  const web = localizedMessages(sourceFiles(join(root, 'webview')), new Set(['t']));
  const messages = new Map([...web.messages, ...host.messages]);
  const dynamic = [...host.dynamic, ...web.dynamic];

  it('is declared in package.json', () => {
    expect(pkg.l10n).toBe('./l10n');
    expect(existsSync(join(root, 'l10n', 'bundle.l10n.json'))).toBe(true);
  });

  it('finds localized messages in the host', () => {
    expect(messages.size).toBeGreaterThan(40);
    expect(messages.has('Show Output')).toBe(true);
    expect(messages.has('Check gradient')).toBe(true);
  });

  it('passes every message as a string literal (so the bundle can list it)', () => {
    expect(dynamic).toEqual([]);
  });

  it('has an entry for every message, and no stale entries', () => {
    const bundle = readJson<Record<string, string>>('l10n/bundle.l10n.json');
    const missing = [...messages].filter(([m]) => typeof bundle[m] !== 'string').map(([m, where]) => `${where}: ${m}`);
    expect(missing, 'messages missing from l10n/bundle.l10n.json').toEqual([]);
    const stale = Object.keys(bundle).filter((m) => !messages.has(m));
    expect(stale, 'bundle entries no source uses').toEqual([]);
    for (const [m, text] of Object.entries(bundle)) expect(placeholders(text), m).toEqual(placeholders(m));
  });
});

describe('localize (host modules without the vscode API)', () => {
  it('formats English until a translator is installed, then uses it', () => {
    expect(formatMessage('iteration {0}/{1}', [3, 10])).toBe('iteration 3/10');
    expect(formatMessage('keeps {1} without an argument', ['a'])).toBe('keeps {1} without an argument');
    expect(localize('{0} correct', 2)).toBe('2 correct');
    setTranslator((m, ...args) => `[${formatMessage(m, args)}]`);
    try {
      expect(localize('{0} wrong', 1)).toBe('[1 wrong]');
    } finally {
      setTranslator(undefined);
    }
    expect(localize('{0} wrong', 1)).toBe('1 wrong');
  });
});

describe('the Getting Started walkthrough', () => {
  const walkthroughSource = readFileSync(join(root, 'src', 'host', 'walkthrough.ts'), 'utf8');
  const hostSources = sourceFiles(join(root, 'src', 'host')).map((f) => readFileSync(f, 'utf8')).join('\n');

  it('has the seven steps', () => {
    expect(steps.map((s) => s.id)).toEqual(['openSample', 'train', 'readPanel', 'watchLearning', 'lossLandscape', 'modelSelection', 'checkGradient']);
  });

  it('has a media file for every step', () => {
    for (const s of steps) {
      const media = [s.media.markdown, s.media.svg, ...(typeof s.media.image === 'string' ? [s.media.image] : Object.values(s.media.image ?? {}))].filter((m): m is string => !!m);
      expect(media.length, s.id).toBeGreaterThan(0);
      for (const m of media) {
        expect(m.startsWith('media/'), `${s.id}: ${m} is under media/`).toBe(true);
        expect(existsSync(join(root, m)), `${s.id}: ${m} exists`).toBe(true);
      }
      if (s.media.image) expect(s.media.altText, `${s.id}: an image needs altText`).toBeTruthy();
    }
  });

  it('completes on contributed commands and on context keys the host sets', () => {
    for (const s of steps) {
      expect(s.completionEvents?.length, s.id).toBeGreaterThan(0);
      for (const event of s.completionEvents!) {
        const colon = event.indexOf(':');
        const [kind, arg] = colon < 0 ? [event, ''] : [event.slice(0, colon), event.slice(colon + 1)];
        if (kind === 'onCommand') {
          expect(commandIds.has(arg), `${s.id}: ${event} names a contributed command`).toBe(true);
        } else if (kind === 'onContext') {
          expect(walkthroughSource.includes(`'${arg}'`), `${s.id}: ${event} is a key of src/host/walkthrough.ts`).toBe(true);
        } else {
          expect(['onView', 'onSettingChanged', 'onLink', 'extensionInstalled', 'onStepSelected'], `${s.id}: ${event}`).toContain(kind);
        }
      }
    }
    // Each walkthrough key is set somewhere besides its declaration.
    for (const name of ['trained', 'panelUsed', 'solversCompared', 'landscapeShown', 'gradientChecked']) {
      expect(hostSources.includes(`WALKTHROUGH_CONTEXT.${name}`), `markWalkthroughStep(WALKTHROUGH_CONTEXT.${name}) is called`).toBe(true);
    }
  });

  it('links only to contributed commands of this extension', () => {
    const texts = [...Object.values(nls), ...steps.flatMap((s) => (s.media.markdown ? [readFileSync(join(root, s.media.markdown), 'utf8')] : []))];
    const linked = texts.flatMap((t) => [...t.matchAll(/\(command:(logitLab\.[\w.]+)/g)].map((m) => m[1]));
    expect(linked.length).toBeGreaterThan(0);
    for (const id of linked) expect(commandIds.has(id), `command:${id}`).toBe(true);
    // Arguments of command links are URL-encoded JSON.
    for (const t of texts) {
      for (const m of t.matchAll(/\(command:[\w.]+\?([^)\s]+)\)/g)) expect(() => JSON.parse(decodeURIComponent(m[1])), m[0]).not.toThrow();
    }
  });
});

describe('.vscodeignore', () => {
  /** A .vscodeignore glob as a RegExp over paths relative to the root (`**`, `*`, `?`). */
  const globToRegExp = (glob: string): RegExp => {
    let g = glob.replace(/^\//, '');
    if (!g.includes('/')) g = `**/${g}`;
    let re = '';
    for (let i = 0; i < g.length; i++) {
      const ch = g[i];
      if (ch === '*' && g[i + 1] === '*') {
        re += g[i + 2] === '/' ? '(?:.*/)?' : '.*';
        i += g[i + 2] === '/' ? 2 : 1;
      } else if (ch === '*') re += '[^/]*';
      else if (ch === '?') re += '[^/]';
      else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${re}(?:/.*)?$`);
  };
  const rules = readFileSync(join(root, '.vscodeignore'), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => (l.startsWith('!') ? { keep: true, re: globToRegExp(l.slice(1)) } : { keep: false, re: globToRegExp(l) }));
  const excluded = (path: string) => rules.reduce((out, r) => (r.re.test(path) ? !r.keep : out), false);

  it('matches as expected', () => {
    expect(excluded('src/host/output.ts')).toBe(true);
    expect(excluded('dist/extension.js')).toBe(false);
  });

  it('keeps the localization files, the walkthrough media and the icon in the VSIX', () => {
    const kept = ['package.json', 'package.nls.json', 'l10n/bundle.l10n.json', pkg.icon!, ...steps.map((s) => s.media.markdown!).filter(Boolean)];
    for (const path of kept) expect(excluded(path), path).toBe(false);
  });
});
