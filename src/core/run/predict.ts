/**
 * Prediction on a new CSV with a saved model: the same column encoding (numeric columns and one-hot
 * levels by name), the same imputation and scaling, then a predictions table as CSV text.
 */
import { parseCsv } from '../data/csv';
import { encodeForPrediction } from '../data/dataPlan';
import type { Diagnostic } from '../diagnostics';
import { predictProba, nOutputs, type ModelJson } from '../model/model';
import { csvTextCell } from '../report/csvEscape';


/**
 * Shortest round-trip text of a probability (full float64 precision), in one notation per magnitude:
 * below 1e-4 always exponential (`2.4884716441862575e-6`, never `0.0000024884716441862575` beside
 * `8.3e-7`), else decimal.
 */
export function probabilityText(v: number): string {
  if (!Number.isFinite(v)) return '';
  return v !== 0 && Math.abs(v) < 1e-4 ? v.toExponential() : String(v);
}

export interface Predictions {
  /** Header: line, predicted, then one probability column per class (multilabel: per label a 0/1 and a probability). */
  csv: string;
  n: number;
  warnings: Diagnostic[];
}

/**
 * The predictions table of the rows of `bytes`. Text cells (class labels, header names) that a
 * spreadsheet would run as formulas are neutralized (csvEscape.ts) unless options.raw.
 */
export function predictionsCsv(model: ModelJson, bytes: Uint8Array, fileName: string, options: { raw?: boolean } = {}): Predictions {
  const cell = (s: string) => csvTextCell(s, options.raw);
  const table = parseCsv(bytes, { fileName });
  const enc = encodeForPrediction(table, model.features, { fileName, decimalComma: table.decimalComma });
  const proba = predictProba(model, enc.X, enc.n);
  const K = model.kind === 'binary' ? 2 : nOutputs(model);
  const lines: string[] = [];
  if (model.kind === 'multilabel') {
    lines.push(['line', ...model.classes.flatMap((c) => [`predicted_${c}`, `p_${c}`])].map(cell).join(','));
    for (let i = 0; i < enc.n; i++) {
      const cells = [String(enc.rowLines[i])];
      for (let l = 0; l < K; l++) {
        const p = proba[i * K + l];
        cells.push(p >= 0.5 ? '1' : '0', probabilityText(p));
      }
      lines.push(cells.join(','));
    }
  } else {
    lines.push(['line', 'predicted', ...model.classes.map((c) => `p_${c}`)].map(cell).join(','));
    for (let i = 0; i < enc.n; i++) {
      let best = 0;
      if (model.kind === 'binary') best = proba[2 * i + 1] >= model.threshold ? 1 : 0;
      else for (let k = 1; k < K; k++) if (proba[i * K + k] > proba[i * K + best]) best = k;
      const cells = [String(enc.rowLines[i]), cell(model.classes[best])];
      for (let k = 0; k < K; k++) cells.push(probabilityText(proba[i * K + k]));
      lines.push(cells.join(','));
    }
  }
  return { csv: lines.join('\n') + '\n', n: enc.n, warnings: [...table.warnings, ...enc.warnings] };
}
