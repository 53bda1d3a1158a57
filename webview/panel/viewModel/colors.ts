/** Colour arithmetic for the heatmaps (pure): parse #rgb / #rrggbb(aa) / rgb(a)() and mix in RGB. */

export type Rgb = [number, number, number];

export function parseColor(s: string): Rgb | null {
  const t = s.trim().toLowerCase();
  let m = /^#([0-9a-f]{3,4})$/.exec(t);
  if (m) return [0, 1, 2].map((i) => parseInt(m![1][i] + m![1][i], 16)) as Rgb;
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(t);
  if (m) return [0, 2, 4].map((i) => parseInt(m![1].slice(i, i + 2), 16)) as Rgb;
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(t);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return null;
}

const hex = (v: number) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, '0');

export function toHex(c: Rgb): string {
  return `#${hex(c[0])}${hex(c[1])}${hex(c[2])}`;
}

/** a + (b - a) * t for t in [0, 1], as #rrggbb. */
export function mix(a: Rgb, b: Rgb, t: number): string {
  const u = Math.min(1, Math.max(0, t));
  return toHex([a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u, a[2] + (b[2] - a[2]) * u]);
}

/** A mixer from `from` to `to` with precomputed endpoints (unparseable colours fall back to grey). */
export function mixer(from: string, to: string): (t: number) => string {
  const a = parseColor(from) ?? [128, 128, 128];
  const b = parseColor(to) ?? [128, 128, 128];
  return (t) => mix(a, b, t);
}

/**
 * How a heatmap cell is tinted: the class whose colour it takes and how far from the background
 * (0..1). Binary (K = 2): class 1 above the threshold, class 0 below, stronger away from it;
 * multiclass: the argmax class, stronger with its probability `value` above 1/K.
 */
export function cellShade(K: number, value: number, argmax: number, threshold: number, strength: number): [number, number] {
  if (K === 2) {
    return value >= threshold
      ? [1, strength * (threshold < 1 ? (value - threshold) / (1 - threshold) : 1) ** 0.8]
      : [0, strength * (threshold > 0 ? (threshold - value) / threshold : 1) ** 0.8];
  }
  const floor = 1 / K;
  return [argmax, strength * (0.25 + (0.75 * (value - floor)) / (1 - floor))];
}
