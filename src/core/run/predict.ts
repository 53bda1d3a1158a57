/**
 * Prediction on a new CSV with a saved model: the same column encoding (numeric columns and one-hot
 * levels by name), the same imputation and scaling, then a predictions table as CSV text.
 */
import { parseCsv } from '../data/csv';
import { encodeForPrediction } from '../data/dataset';
import type { Diagnostic } from '../diagnostics';
import { predictProba, nOutputs, type ModelJson } from '../model/model';

/** Quotes a CSV field when it needs it (RFC 4180). */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Shortest round-trip text of a probability (full float64 precision). */
function num(v: number): string {
  return Number.isFinite(v) ? String(v) : '';
}

export interface Predictions {
  /** Header: line, predicted, then one probability column per class (multilabel: per label a 0/1 and a probability). */
  csv: string;
  n: number;
  warnings: Diagnostic[];
}

export function predictionsCsv(model: ModelJson, bytes: Uint8Array, fileName: string): Predictions {
  const table = parseCsv(bytes, { fileName });
  const enc = encodeForPrediction(table, model.features, { fileName, decimalComma: table.decimalComma });
  const proba = predictProba(model, enc.X, enc.n);
  const K = model.kind === 'binary' ? 2 : nOutputs(model);
  const lines: string[] = [];
  if (model.kind === 'multilabel') {
    lines.push(['line', ...model.classes.flatMap((c) => [`predicted_${c}`, `p_${c}`])].map(csvField).join(','));
    for (let i = 0; i < enc.n; i++) {
      const cells = [String(enc.rowLines[i])];
      for (let l = 0; l < K; l++) {
        const p = proba[i * K + l];
        cells.push(p >= 0.5 ? '1' : '0', num(p));
      }
      lines.push(cells.join(','));
    }
  } else {
    lines.push(['line', 'predicted', ...model.classes.map((c) => `p_${c}`)].map(csvField).join(','));
    for (let i = 0; i < enc.n; i++) {
      let best = 0;
      if (model.kind === 'binary') best = proba[2 * i + 1] >= model.threshold ? 1 : 0;
      else for (let k = 1; k < K; k++) if (proba[i * K + k] > proba[i * K + best]) best = k;
      const cells = [String(enc.rowLines[i]), csvField(model.classes[best])];
      for (let k = 0; k < K; k++) cells.push(num(proba[i * K + k]));
      lines.push(cells.join(','));
    }
  }
  return { csv: lines.join('\n') + '\n', n: enc.n, warnings: [...table.warnings, ...enc.warnings] };
}
