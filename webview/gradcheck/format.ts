/** Numbers and headlines of the checker panel. Pure: no DOM. */
import type { BlockReport, ParamReport } from '../../src/core/gradcheck/types';
import { t } from '../l10n';

/** A value in the component table: 6 significant digits, exponent form outside [1e-4, 1e6). */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  const s = abs >= 1e-4 && abs < 1e6 ? String(Number(v.toPrecision(6))) : v.toExponential(4).replace(/\.?0+e/, 'e');
  return s.replace(/^-/, '−');
}

/** A relative error: 2 significant digits, in exponent form below 1e-3 ("3.1e-9"), else plain ("0.50", "2.0"). */
export function formatError(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return '∞';
  if (v === 0) return '0';
  return v >= 1e-3 && v < 1e3 ? v.toPrecision(2) : v.toExponential(1);
}

export function shapeText(shape: readonly [number, number]): string {
  return `${shape[0]}×${shape[1]}`;
}

/** The verdict headline: "✓ Gradient correct", "✗ Gradient wrong", "⚠ Error". */
export function verdictHeadline(report: BlockReport): string {
  const hasHessian = (report.hessian?.length ?? 0) > 0;
  if (report.verdict === 'error') return '⚠ ' + t('Error');
  if (report.verdict === 'fail') {
    if (report.params.some((p) => p.verdict !== 'pass')) return '✗ ' + t('Gradient wrong');
    if (report.hessian?.some((p) => p.verdict !== 'pass')) return '✗ ' + t('Hessian wrong');
    if (report.checks.some((c) => !c.holds)) return '✗ ' + t('Identity does not hold');
    return '✗ ' + t('Check failed');
  }
  if (report.params.length === 0 && report.checks.length > 0) return '✓ ' + (report.checks.length > 1 ? t('Identities hold') : t('Identity holds'));
  return '✓ ' + (hasHessian ? t('Gradient and Hessian correct') : t('Gradient correct'));
}

/** A parameter's status line: "∂L/∂w: pass, max relative error 3.1e-10". */
export function paramStatus(p: ParamReport): string {
  const verdict = p.verdict === 'pass' ? t('correct') : p.verdict === 'fail' ? t('wrong') : t('error');
  const shapes = p.shapeAnalytic[0] !== p.shapeExpected[0] || p.shapeAnalytic[1] !== p.shapeExpected[1]
    ? ' · ' + t('shape {0}, expected {1}', shapeText(p.shapeAnalytic), shapeText(p.shapeExpected))
    : ' · ' + t('shape {0}', shapeText(p.shapeExpected));
  const err = p.verdict === 'error' ? '' : ' · ' + t('max relative error {0}', formatError(p.maxRelError));
  return `${verdict}${err}${shapes}`;
}

/** A message as a sentence: trimmed, first letter capitalized. */
export function sentence(text: string): string {
  const t = text.trim();
  return t ? t[0].toUpperCase() + t.slice(1) : t;
}
