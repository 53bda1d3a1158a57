/** Number formatting shared by the panel's tables, captions and plots. */

/** A metric value: 4 significant digits at most, "—" for missing (null, NaN: JSON turns NaN into null). */
export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  let s: string;
  if (abs >= 1e-3 && abs < 1e6) {
    s = Number(v.toPrecision(digits)).toString();
  } else {
    s = v.toExponential(Math.max(0, digits - 2));
  }
  return s.replace(/-/g, '−');
}

/** When a run started, in the viewer's locale; "—" when unknown (a report opened alone has no start time). */
export function fmtStarted(iso: string): string {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) && t > 0 ? new Date(t).toLocaleString() : '—';
}

/** A count, integer if it is one, otherwise (weighted counts) with two decimals. */
export function fmtCount(v: number): string {
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(2);
}

/** A size in bytes with a decimal unit (B, kB, MB, GB), 3 significant digits. */
export function fmtBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  const [scale, unit] = bytes < 1e3 ? [1, 'B'] : bytes < 1e6 ? [1e3, 'kB'] : bytes < 1e9 ? [1e6, 'MB'] : [1e9, 'GB'];
  return `${fmt(bytes / scale, 3)} ${unit}`;
}

export function fmtPercent(v: number, digits = 1): string {
  return Number.isFinite(v) ? `${(v * 100).toFixed(digits)}%` : '—';
}

export function fmtDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Shortens a label to at most `max` characters with an ellipsis (for plot tick labels; tables show it whole). */
export function truncate(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : chars.slice(0, max - 1).join('') + '…';
}
