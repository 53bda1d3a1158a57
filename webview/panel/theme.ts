/**
 * Plot colours resolved from the theme. The stylesheet maps VS Code's --vscode-* variables (with
 * fallbacks for a plain browser, light or dark) onto --ll-* variables; plots need concrete colours
 * (SVG attributes and canvas pixels cannot use var()), so they are read here at render time and
 * re-read when VS Code switches theme (it rewrites the body's class and style).
 */

export interface Theme {
  kind: 'light' | 'dark' | 'high-contrast';
  fg: string;
  muted: string;
  bg: string;
  grid: string;
  accent: string;
  error: string;
  /** Class colours, in class order. */
  palette: string[];
  fontFamily: string;
}

/** Used when a --ll-class-k variable is missing (panel.css defines all ten; see there why 5-9 are fixed). */
const FALLBACK_PALETTE = ['#1a85ff', '#d67e00', '#388a34', '#d8312c', '#7c3bb8', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export function readTheme(root: Element = document.body): Theme {
  const cs = getComputedStyle(root);
  const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
  const cls = document.body.classList;
  const kind = cls.contains('vscode-high-contrast') || cls.contains('vscode-high-contrast-light') ? 'high-contrast' : cls.contains('vscode-dark') ? 'dark' : cls.contains('vscode-light') ? 'light' : matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  const palette = FALLBACK_PALETTE.map((c, i) => v(`--ll-class-${i}`, c));
  return {
    kind,
    fg: v('--ll-fg', '#1f1f1f'),
    muted: v('--ll-muted', '#6f6f6f'),
    bg: v('--ll-bg', '#ffffff'),
    grid: v('--ll-grid', '#d0d0d0'),
    accent: v('--ll-accent', '#0078d4'),
    error: v('--ll-error', '#e51400'),
    palette,
    fontFamily: v('--ll-font', 'system-ui, sans-serif'),
  };
}

export function classColor(theme: Theme, k: number): string {
  return theme.palette[k % theme.palette.length];
}
