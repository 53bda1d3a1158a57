/**
 * The data plan (src/core/data/dataPlan.ts): the decisions DataPlan.fit makes on iris and on the
 * mixed-type pbc file (types, target, features, missing counts: pbc's are those of R's survival::pbc),
 * the same plan from the general and the fast parser's tables, the plan stored in a model and read
 * back, and one design matrix, element for element, whichever way the rows come in: the CsvTable,
 * the FastTable, streamed blocks (the file cut into blocks, each parsed alone, fast or general) and
 * prediction on a new file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../src/core/data/csv';
import { columnSource } from '../../../../src/core/data/columnSource';
import { DataPlan, encodeForPrediction } from '../../../../src/core/data/dataPlan';
import { FastCsvParser, type FastTable } from '../../../../src/core/data/fastCsv';
import { predictionsCsv } from '../../../../src/core/run/predict';
import { trainFromBytes } from '../../../../src/core/run/train';

const ROOT = join(__dirname, '../../../..');
const bytesOf = (name: string) => new Uint8Array(readFileSync(join(ROOT, 'test/fixtures/datasets', name)));

function fastTable(bytes: Uint8Array, fileName: string): FastTable {
  const parser = new FastCsvParser({ fileName });
  parser.push(bytes);
  const result = parser.finish();
  if ('fallback' in result) throw new Error(`unexpected fallback: ${result.fallback}`);
  return result;
}

/** Every row of a table. */
const allRows = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/** Element-for-element equality, NaN equal to NaN (Object.is), with the first difference named. */
function expectSameMatrix(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length);
  const diff = Array.from(a).findIndex((v, i) => !Object.is(v, b[i]));
  expect(diff === -1 ? 'same' : `differs at ${diff}: ${a[diff]} vs ${b[diff]}`).toBe('same');
}

/** The file's data lines cut into blocks of `rows` lines, each with the header, as streaming reads them. */
function blocks(bytes: Uint8Array, rows: number): Uint8Array[] {
  const lines = new TextDecoder().decode(bytes).split('\n').filter((l) => l.length > 0);
  const out: Uint8Array[] = [];
  for (let i = 1; i < lines.length; i += rows) out.push(new TextEncoder().encode([lines[0], ...lines.slice(i, i + rows)].join('\n') + '\n'));
  return out;
}

describe('DataPlan.fit', () => {
  it('on iris: four numeric features, the species target, nothing excluded', () => {
    const table = parseCsv(bytesOf('iris.csv'), { fileName: 'iris.csv' });
    const plan = DataPlan.fit(table, { target: 'target', fileName: 'iris.csv' });
    expect(plan.columns.map((c) => [c.name, c.kind])).toEqual([
      ['sepal_length', 'numeric'],
      ['sepal_width', 'numeric'],
      ['petal_length', 'numeric'],
      ['petal_width', 'numeric'],
      ['target', 'categorical'],
    ]);
    expect(plan.columns[4].levels).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(plan.targets.map((t) => t.name)).toEqual(['target']);
    expect(plan.features).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width'].map((c) => ({ kind: 'numeric', column: c, name: c })));
    expect(plan.missing).toBe('impute');
    expect(plan.warnings).toEqual([]);
    expect(plan.d).toBe(4);
  });

  it('on pbc: an id column excluded, categorical columns one-hot by level, numeric 0/1 columns kept as numbers', () => {
    const bytes = bytesOf('pbc.csv');
    const table = parseCsv(bytes, { fileName: 'pbc.csv' });
    const plan = DataPlan.fit(table, { target: 'died', fileName: 'pbc.csv' });
    const kinds = Object.fromEntries(plan.columns.map((c) => [c.name, c.kind]));
    expect(kinds).toMatchObject({ patient: 'id', age: 'numeric', sex: 'categorical', drug: 'categorical', ascites: 'numeric', edema: 'categorical', stage: 'categorical', died: 'numeric' });
    expect(plan.features.map((f) => f.name)).toEqual([
      'age', 'sex=female', 'sex=male', 'drug=D-penicillamine', 'drug=placebo', 'ascites', 'hepato', 'spiders',
      'edema=despite diuretics', 'edema=no edema', 'edema=untreated or resolved', 'bili', 'chol', 'albumin', 'copper',
      'alk_phos', 'ast', 'trig', 'platelet', 'protime', 'stage=stage 1', 'stage=stage 2', 'stage=stage 3', 'stage=stage 4',
    ]);
    expect(plan.warnings.map((w) => w.code)).toEqual(['feature.excluded']);
    expect(plan.warnings[0].message).toContain("'patient'");
    // survival::pbc's NA counts: 106 rows outside the trial, chol 134, copper 108, trig 136, platelet 11, protime 2, stage 6.
    const missing = Object.fromEntries(plan.columns.map((c) => [c.name, c.missing]));
    expect(missing).toMatchObject({ drug: 106, ascites: 106, chol: 134, copper: 108, trig: 136, platelet: 11, protime: 2, stage: 6, age: 0 });
    // The fast parser's table gets the same plan.
    const fast = DataPlan.fit(fastTable(bytes, 'pbc.csv'), { target: 'died', fileName: 'pbc.csv' });
    expect(fast.columns).toEqual(plan.columns);
    expect(fast.features).toEqual(plan.features);
    expect(fast.warnings).toEqual(plan.warnings);
  });

  it("the 'drop' policy and explicit features are the plan's", () => {
    const table = parseCsv(bytesOf('pbc.csv'), { fileName: 'pbc.csv' });
    const plan = DataPlan.fit(table, { target: 'died', features: ['age', 'stage'], missing: 'drop' });
    expect(plan.missing).toBe('drop');
    expect(plan.features.map((f) => f.name)).toEqual(['age', 'stage=stage 1', 'stage=stage 2', 'stage=stage 3', 'stage=stage 4']);
    const ds = plan.dataset(table, { target: 'died', features: ['age', 'stage'], missing: 'drop' });
    expect([ds.n, ds.droppedRows]).toEqual([412, 6]);
  });
});

describe('DataPlan.encode: one design matrix from every source', () => {
  const bytes = bytesOf('pbc.csv');
  const general = parseCsv(bytes, { fileName: 'pbc.csv' });
  const plan = DataPlan.fit(general, { target: 'died', fileName: 'pbc.csv' });
  const reference = plan.encode(columnSource(general), allRows(general.nRows), { file: 'pbc.csv' });

  it('encodes missing cells as NaN (numbers) or all zeros (one-hot), and the rest by value', () => {
    const d = plan.d;
    expect(reference.X.length).toBe(418 * d);
    // Row 1: 58.8, female, D-penicillamine, ... stage 4.
    expect(Array.from(reference.X.subarray(0, 5))).toEqual([58.8, 1, 0, 1, 0]);
    expect(Array.from(reference.X.subarray(d - 4, d))).toEqual([0, 0, 0, 1]);
    expect(Object.fromEntries(reference.missingByColumn)).toMatchObject({ drug: 106, chol: 134, stage: 6 });
    const chol = plan.features.findIndex((f) => f.name === 'chol');
    const missingChol = Array.from({ length: 418 }, (_, i) => reference.X[i * d + chol]).filter(Number.isNaN).length;
    expect(missingChol).toBe(134);
    expect(reference.warnings).toEqual([]);
  });

  it('the FastTable gives the same matrix, with and without building it inside the table', () => {
    const fast = fastTable(bytes, 'pbc.csv');
    const fromFast = plan.encode(columnSource(fast), allRows(fast.nRows), { file: 'pbc.csv' });
    expectSameMatrix(fromFast.X, reference.X);
    expect(Array.from(fromFast.rowHasMissing)).toEqual(Array.from(reference.rowHasMissing));
    expect(fromFast.missingByColumn).toEqual(reference.missingByColumn);
    // An all-numeric plan encodes into the table's own values when asked to.
    const numeric = DataPlan.fit(fast, { target: 'died', features: ['age', 'bili', 'chol'] });
    const own = fastTable(bytes, 'pbc.csv');
    const inside = numeric.encode(columnSource(own), allRows(own.nRows), { consumeValues: own.values });
    expect(inside.X.buffer).toBe(own.values.buffer);
    expectSameMatrix(inside.X, numeric.encode(columnSource(general), allRows(general.nRows)).X);
  });

  it('streamed blocks, each parsed alone (fast or general), give the same rows', () => {
    for (const parse of ['fast', 'general'] as const) {
      let generalBlocks = 0;
      const parts = blocks(bytes, 37).map((b) => {
        let source = columnSource(parse === 'fast' ? fastTable(b, 'pbc.csv') : parseCsv(b, { fileName: 'pbc.csv' }));
        // As streaming does: a block whose FastTable stores a one-hot column as numbers (here the last
        // blocks' all-missing 'drug') lacks the texts the plan needs, and takes the general parser's table.
        if (!plan.encodes(source)) {
          generalBlocks++;
          source = columnSource(parseCsv(b, { fileName: 'pbc.csv' }));
        }
        return plan.encode(source, allRows(source.nRows)).X;
      });
      expect(parts.length).toBe(12);
      expect(generalBlocks).toBe(parse === 'fast' ? 3 : 0); // rows 313-418 are outside the trial: blocks 10-12
      const joined = new Float64Array(parts.reduce((k, p) => k + p.length, 0));
      parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
      expectSameMatrix(joined, reference.X);
    }
  });

  it('prediction with the plan stored in a model gives the same matrix', () => {
    const report = trainFromBytes(bytes, { target: ['died'] }, { fileName: 'pbc.csv' });
    expect(report.model.features).toEqual(plan.toJSON().features);
    expect(report.model.featureNames).toEqual(plan.toJSON().featureNames);
    const restored = DataPlan.fromModel(JSON.parse(JSON.stringify(report.model)));
    expect(restored.features).toEqual(plan.features);
    expectSameMatrix(restored.encode(columnSource(general), allRows(general.nRows)).X, reference.X);
    expectSameMatrix(encodeForPrediction(general, report.model.features, { fileName: 'new.csv' }).X, reference.X);
    expectSameMatrix(encodeForPrediction(fastTable(bytes, 'new.csv'), report.model.features, { fileName: 'new.csv' }).X, reference.X);
    expect(predictionsCsv(report.model, bytes, 'new.csv').n).toBe(418);
  });

  it('encodes the rows asked for, in the order asked', () => {
    const rows = Int32Array.from([417, 0, 5]);
    const some = plan.encode(columnSource(general), rows);
    const d = plan.d;
    const expected = new Float64Array(3 * d);
    rows.forEach((row, r) => expected.set(reference.X.subarray(row * d, row * d + d), r * d));
    expectSameMatrix(some.X, expected);
  });
});
