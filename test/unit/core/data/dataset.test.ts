import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvText } from '../../../../src/core/data/csv';
import { buildDataset, encodeForPrediction } from '../../../../src/core/data/dataPlan';
import {
  compareCodePoints,
  guessTarget,
  inferColumns,
  sortClassLabels,
  type ColumnInfo,
  type DatasetOptions,
} from '../../../../src/core/data/dataset';
import { dataError } from '../../dataError';

const ROOT = join(__dirname, '../../../..');

function column(columns: ColumnInfo[], name: string): ColumnInfo {
  const c = columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c;
}

/** Parses text and builds a dataset in one go. */
function build(text: string, options: DatasetOptions) {
  const table = parseCsvText(text, { fileName: options.fileName });
  return buildDataset(table, inferColumns(table, { maxCategories: options.maxCategories }), options);
}

/** Rows of a row-major matrix as arrays. */
function rows(X: Float64Array, d: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < X.length; i += d) out.push(Array.from(X.subarray(i, i + d)));
  return out;
}

describe('inferColumns', () => {
  const text = [
    'id,age,color,score,country,note,flag,mixed',
    '1,30,red,1.5,US,,yes,1',
    '2,NA,blue,inf,US,,no,2',
    '3,41,red,2.5,US,?,yes,3',
    '4,25,,3.5,US,,no,x',
    '5,38,green,-1e1,US,,yes,5',
  ].join('\n');
  const table = parseCsvText(text);
  const cols = inferColumns(table);

  it('types numeric columns with missing counts and statistics', () => {
    expect(column(cols, 'age')).toMatchObject({ kind: 'numeric', index: 1, missing: 1, distinct: 4, min: 25, max: 41, mean: 33.5 });
  });

  it('counts infinite values as missing, with a note', () => {
    const score = column(cols, 'score');
    expect(score).toMatchObject({ kind: 'numeric', missing: 1, distinct: 4, min: -10, max: 3.5 });
    expect(score.reason).toBe('numeric; 1 infinite value (first at line 3) count as missing');
  });

  it('types categorical columns with sorted levels', () => {
    expect(column(cols, 'color')).toMatchObject({ kind: 'categorical', missing: 1, distinct: 3, levels: ['blue', 'green', 'red'] });
    expect(column(cols, 'flag')).toMatchObject({ kind: 'categorical', levels: ['no', 'yes'] });
  });

  it('finds constant, empty and numeric id columns', () => {
    expect(column(cols, 'country')).toMatchObject({ kind: 'constant', distinct: 1, reason: "every value is 'US'" });
    expect(column(cols, 'note')).toMatchObject({ kind: 'empty', missing: 5, distinct: 0 });
    expect(column(cols, 'id')).toMatchObject({ kind: 'id', distinct: 5 });
  });

  it('explains a mostly numeric column that has text in it', () => {
    const mixed = column(cols, 'mixed');
    expect(mixed.kind).toBe('categorical');
    expect(mixed.reason).toBe("categorical with 5 levels; 'x' at line 5 is not a number");
  });

  it('types a constant numeric column', () => {
    const t = parseCsvText('a,b\n1,2\n1,3\n1.0,4\n');
    expect(column(inferColumns(t), 'a')).toMatchObject({ kind: 'constant', reason: 'every value is 1' });
  });

  it('does not call a numeric id column with repeats an id', () => {
    const t = parseCsvText('id,y\n1,a\n1,b\n2,a\n');
    expect(column(inferColumns(t), 'id').kind).toBe('numeric');
    const u = parseCsvText('PassengerId,customer_id,paid,y\n1,10,1,a\n2,11,2,b\n3,12,3,a\n');
    const c = inferColumns(u);
    expect(column(c, 'PassengerId').kind).toBe('id');
    expect(column(c, 'customer_id').kind).toBe('id');
    expect(column(c, 'paid').kind).toBe('numeric');
  });

  it('finds text identifiers and over-wide categoricals', () => {
    const lines = ['name,group,y'];
    for (let i = 0; i < 40; i++) lines.push(`person${i},g${i % 8},${i % 2}`);
    const t = parseCsvText(lines.join('\n'));
    const c = inferColumns(t, { maxCategories: 5 });
    expect(column(c, 'name')).toMatchObject({ kind: 'id', distinct: 40, reason: 'looks like an identifier (40 distinct values in 40 rows)' });
    expect(column(c, 'group')).toMatchObject({ kind: 'categorical', distinct: 8 });
    expect(column(c, 'group').reason).toBe('8 distinct text values, more than the 5 allowed for a categorical feature');
    expect(column(inferColumns(t), 'name').kind).toBe('categorical');
  });

  it('reads decimal commas as numbers', () => {
    const t = parseCsv(new Uint8Array(readFileSync(join(ROOT, 'test/fixtures/csv/semicolon_decimal.csv'))));
    expect(column(inferColumns(t), 'höhe')).toMatchObject({ kind: 'numeric', min: 1.62, max: 1.8 });
  });
});

describe('guessTarget', () => {
  const guess = (text: string) => {
    const t = parseCsvText(text);
    return guessTarget(t, inferColumns(t));
  };

  it('picks a conventionally named column, case-insensitively', () => {
    expect(guess('Species,a,b\nx,1,2\ny,3,4\n')).toBe('Species');
    expect(guess('a,CLASS,b\n1,x,2\n3,y,4\n')).toBe('CLASS');
    expect(guess('outcome,a,b\n0,1,2\n1,3,4\n')).toBe('outcome');
  });

  it('prefers target over label over class', () => {
    expect(guess('class,label,target,a\n1,1,1,1\n0,0,0,2\n')).toBe('target');
    expect(guess('class,label,a\n1,1,1\n0,0,2\n')).toBe('label');
  });

  it('needs the exact name, else takes the last column', () => {
    expect(guess('class_name,a,b\nx,1,2\ny,3,4\n')).toBe('b');
  });

  it('prefers a two-valued target-named column: survived beats the passenger class', () => {
    expect(guess('name,class,age,survived\nAllen,1st,29,1\nBrown,3rd,2,0\nCole,2nd,30,0\nDunn,3rd,25,1\n')).toBe('survived');
    expect(guess('class,churn,a\nx,yes,1\ny,no,2\nz,no,3\n')).toBe('churn');
  });

  it('does not guess a free-text column (80 distinct names in 120 rows)', () => {
    const rows = Array.from({ length: 120 }, (_, i) => `${i % 3},${(i * 0.37).toFixed(2)},name ${i % 80}`).join('\n');
    expect(guess(`a,b,passenger\n${rows}\n`)).toBe('b');
  });

  it('guesses the mixed-type fixture\'s target (died, not the text stage or the patient id)', () => {
    const t = parseCsv(new Uint8Array(readFileSync(join(ROOT, 'test/fixtures/datasets/pbc.csv'))));
    expect(guessTarget(t, inferColumns(t))).toBe('died');
  });

  it('passes over empty columns', () => {
    expect(guess('a,b,c\n1,x,\n2,y,\n')).toBe('b');
    expect(guess('a,label,c\n1,,9\n2,,8\n')).toBe('c');
  });

  it('guesses the samples\' targets', () => {
    for (const [file, target] of [['iris.csv', 'species'], ['binary.csv', 'label'], ['blobs3.csv', 'class']]) {
      const t = parseCsv(new Uint8Array(readFileSync(join(ROOT, 'samples', file))));
      expect(guessTarget(t, inferColumns(t))).toBe(target);
    }
  });
});

describe('buildDataset: targets and classes', () => {
  it('builds a binary dataset with the second sorted class positive', () => {
    const ds = build('x,label\n1,yes\n2,no\n3,yes\n', { target: 'label' });
    expect(ds.task).toBe('binary');
    expect(ds.classes).toEqual(['no', 'yes']);
    expect(Array.from(ds.y)).toEqual([1, 0, 1]);
    expect(ds.targetNames).toEqual(['label']);
    expect(ds.Y).toBeUndefined();
  });

  it('reorders the classes for a chosen positive class', () => {
    const ds = build('x,label\n1,yes\n2,no\n3,yes\n', { target: 'label', positiveClass: 'no' });
    expect(ds.classes).toEqual(['yes', 'no']);
    expect(Array.from(ds.y)).toEqual([0, 1, 0]);
  });

  it('matches a numeric positive class by value', () => {
    const ds = build('x,y\n1,-1\n2,+1\n3,1.0\n', { target: 'y', positiveClass: '-1' });
    expect(ds.classes).toEqual(['1', '-1']);
    expect(Array.from(ds.y)).toEqual([1, 0, 0]);
  });

  it('rejects a positive class that is not a label', () => {
    const e = dataError(() => build('x,label\n1,yes\n2,no\n', { target: 'label', positiveClass: 'maybe' }));
    expect(e.message).toContain("positive class 'maybe' is not a value of target 'label' (classes: 'no', 'yes')");
  });

  it('sorts numeric labels numerically and merges equal numbers', () => {
    const ds = build('x,y\n1,10\n2,9\n3,1\n4,10.0\n5,2\n', { target: 'y' });
    expect(ds.task).toBe('multiclass');
    expect(ds.classes).toEqual(['1', '2', '9', '10']);
    expect(Array.from(ds.y)).toEqual([3, 2, 0, 3, 1]);
  });

  it('sorts -1 before 1 and makes 1 positive', () => {
    const ds = build('x,y\n1,1\n2,-1\n3,-1\n', { target: 'y' });
    expect(ds.classes).toEqual(['-1', '1']);
    expect(Array.from(ds.y)).toEqual([1, 0, 0]);
  });

  it('sorts string labels by code point, as Python does', () => {
    const ds = build('x,y\n1,b\n2,B\n3,a\n4,é\n5,10\n', { target: 'y' });
    expect(ds.classes).toEqual(['10', 'B', 'a', 'b', 'é']);
    expect(build('x,y\n1,true\n2,false\n', { target: 'y' }).classes).toEqual(['false', 'true']);
    expect(sortClassLabels(['\u{1F600}', '\uFB01'])).toEqual(['\uFB01', '\u{1F600}']);
    expect(compareCodePoints('a', 'ab')).toBeLessThan(0);
  });

  it('reads the iris sample as three classes', () => {
    const t = parseCsv(new Uint8Array(readFileSync(join(ROOT, 'samples/iris.csv'))));
    const ds = buildDataset(t, inferColumns(t), { target: 'species' });
    expect(ds.task).toBe('multiclass');
    expect(ds.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect([ds.n, ds.d]).toEqual([150, 4]);
    expect(ds.featureNames).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(Array.from(ds.y.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(ds.y[149]).toBe(2);
    expect(Array.from(ds.X.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2]);
  });

  it('rejects a continuous target, counting its values', () => {
    const lines = ['x,price'];
    for (let i = 0; i < 30; i++) lines.push(`${i},${100 + i}`);
    const e = dataError(() => build(lines.join('\n'), { target: 'price', fileName: 'houses.csv' }));
    expect(e.diagnostic.code).toBe('target.continuous');
    expect(e.message).toBe("houses.csv: error: target 'price' looks continuous (30 distinct values); logistic regression needs class labels");
  });

  it('rejects a target with non-integer values', () => {
    const e = dataError(() => build('x,y\n1,0.5\n2,1.5\n3,0.5\n', { target: 'y' }));
    expect(e.message).toContain("target 'y' looks continuous (non-integer values such as 0.5)");
  });

  it('rejects a one-class target', () => {
    const e = dataError(() => build('x,y\n1,a\n2,a\n3,NA\n', { target: 'y', fileName: 'd.csv' }));
    expect(e.diagnostic.code).toBe('target.one-class');
    expect(e.message).toBe("d.csv: error: target 'y' has only one class ('a'); logistic regression needs at least two");
  });

  it('rejects unknown, empty and identifier targets', () => {
    expect(dataError(() => build('x,y\n1,a\n2,b\n', { target: 'z' })).message).toContain("there is no column 'z' for the target (columns: 'x', 'y')");
    expect(dataError(() => build('x,y\n1,\n2,\n', { target: 'y' })).message).toContain("target 'y' has no values");
    const lines = ['x,name'];
    for (let i = 0; i < 60; i++) lines.push(`${i % 3},n${i}`);
    expect(dataError(() => build(lines.join('\n'), { target: 'name' })).message).toContain("target 'name' looks like an identifier");
  });

  it('drops rows with a missing target, with a warning counting them', () => {
    const ds = build('x,y\n1,a\n2,NA\n3,b\n4,\n5,a\n', { target: 'y', fileName: 'd.csv' });
    expect(ds.n).toBe(3);
    expect(ds.droppedRows).toBe(2);
    expect(Array.from(ds.rowLines)).toEqual([2, 4, 6]);
    expect(Array.from(ds.X)).toEqual([1, 3, 5]);
    const w = ds.warnings.find((x) => x.code === 'target.missing');
    expect(w).toMatchObject({ severity: 'warning', file: 'd.csv', line: 3, message: "2 rows whose target 'y' is missing were dropped" });
  });
});

describe('buildDataset: features', () => {
  const text = [
    'size,color,weight,label',
    '1,red,10,yes',
    '2,blue,NA,no',
    '3,,30,yes',
    '4,green,40,no',
    '5,red,?,yes',
  ].join('\n');

  it('one-hot encodes categorical columns, one indicator per level', () => {
    const ds = build(text, { target: 'label' });
    expect(ds.featureNames).toEqual(['size', 'color=blue', 'color=green', 'color=red', 'weight']);
    expect(ds.features[1]).toEqual({ kind: 'onehot', column: 'color', level: 'blue', name: 'color=blue' });
    expect(ds.features[0]).toEqual({ kind: 'numeric', column: 'size', name: 'size' });
    expect(ds.d).toBe(5);
    expect(rows(ds.X, 5)).toEqual([
      [1, 0, 0, 1, 10],
      [2, 1, 0, 0, NaN],
      [3, 0, 0, 0, 30],
      [4, 0, 1, 0, 40],
      [5, 0, 0, 1, NaN],
    ]);
  });

  it('keeps missing values for imputation under the impute policy, with counts', () => {
    const ds = build(text, { target: 'label', fileName: 'd.csv' });
    expect(ds.n).toBe(5);
    expect(ds.droppedRows).toBe(0);
    expect(ds.missingCounts).toEqual({ size: 0, color: 1, weight: 2 });
    const note = ds.warnings.find((w) => w.code === 'dataset.impute');
    expect(note?.severity).toBe('info');
    expect(note?.message).toContain("'color' (1), 'weight' (2)");
  });

  it('drops rows with missing values under the drop policy', () => {
    const ds = build(text, { target: 'label', missing: 'drop', fileName: 'd.csv' });
    expect(ds.n).toBe(2);
    expect(ds.droppedRows).toBe(3);
    expect(Array.from(ds.rowLines)).toEqual([2, 5]);
    expect(rows(ds.X, ds.d)).toEqual([
      [1, 0, 0, 1, 10],
      [4, 0, 1, 0, 40],
    ]);
    expect(Array.from(ds.y)).toEqual([1, 0]);
    expect(ds.missingCounts).toEqual({ size: 0, color: 1, weight: 2 });
    expect(ds.warnings.find((w) => w.code === 'dataset.dropped-missing')).toMatchObject({
      line: 3,
      message: "3 rows with missing feature values were dropped (missing policy 'drop')",
    });
  });

  it('fails when the drop policy leaves no rows', () => {
    const e = dataError(() => build('a,b,y\nNA,1,x\n2,?,y\n3,NA,x\n4,5,?\n', { target: 'y', missing: 'drop' }));
    expect(e.diagnostic.code).toBe('dataset.no-rows');
  });

  it('uses the requested features in the requested order, never the target', () => {
    const ds = build(text, { target: 'label', features: ['weight', 'label', 'size'] });
    expect(ds.featureNames).toEqual(['weight', 'size']);
    expect(ds.warnings.map((w) => w.code)).toContain('feature.is-target');
    expect(dataError(() => build(text, { target: 'label', features: ['size', 'nope'] })).message).toContain("there is no column 'nope' for the features");
  });

  it('leaves out unusable columns with a warning naming each', () => {
    const lines = ['id,const,empty,zip,x,y'];
    for (let i = 0; i < 10; i++) lines.push(`${i},k,,z${i % 6},${i * 2},${i % 2 ? 'a' : 'b'}`);
    const ds = build(lines.join('\n'), { target: 'y', maxCategories: 4, fileName: 'd.csv' });
    expect(ds.featureNames).toEqual(['x']);
    const messages = ds.warnings.filter((w) => w.code === 'feature.excluded').map((w) => w.message);
    expect(messages).toEqual([
      "column 'id' is not used as a feature: looks like a row identifier (10 distinct integers)",
      "column 'const' is not used as a feature: every value is 'k'",
      "column 'empty' is not used as a feature: every value is missing",
      "column 'zip' is not used as a feature: it has 6 distinct values, more than maxCategories (4)",
    ]);
    expect(ds.warnings.every((w) => w.file === 'd.csv')).toBe(true);
  });

  it('fails when no feature is usable', () => {
    const e = dataError(() => build('c,y\n1,a\n1,b\n', { target: 'y' }));
    expect(e.diagnostic.code).toBe('dataset.no-features');
  });

  it('passes on the table warnings', () => {
    const ds = build('x,x,y\n1,2,a\n3,4,b\n', { target: 'y' });
    expect(ds.featureNames).toEqual(['x', 'x_2']);
    expect(ds.warnings[0].code).toBe('csv.duplicate-column');
  });

  it('warns about infinite feature values and treats them as missing', () => {
    const ds = build('x,y\n1,a\ninf,b\n3,a\n', { target: 'y' });
    expect(ds.X[1]).toBeNaN();
    expect(ds.missingCounts).toEqual({ x: 1 });
    expect(ds.warnings.find((w) => w.code === 'feature.not-number')).toMatchObject({ line: 3 });
  });

  it('reads decimal-comma numbers', () => {
    const t = parseCsv(new Uint8Array(readFileSync(join(ROOT, 'test/fixtures/csv/semicolon_decimal.csv'))));
    const ds = buildDataset(t, inferColumns(t), { target: 'klasse' });
    expect(rows(ds.X, 2)).toEqual([[1.75, 70.5], [1.62, 55], [1.8, 82.25]]);
  });
});

describe('buildDataset: multilabel', () => {
  const text = ['x,a,b,c', '1,1,yes,true', '2,0,no,false', '3,1,no,TRUE', '4,0,yes,false', '5,NA,yes,true'].join('\n');

  it('builds the n x L 0/1 matrix, dropping rows with a missing label', () => {
    const ds = build(text, { target: ['a', 'b', 'c'] });
    expect(ds.task).toBe('multilabel');
    expect(ds.classes).toEqual(['a', 'b', 'c']);
    expect(ds.targetNames).toEqual(['a', 'b', 'c']);
    expect(ds.featureNames).toEqual(['x']);
    expect(ds.n).toBe(4);
    expect(Array.from(ds.Y!)).toEqual([1, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0]);
    expect(Array.from(ds.y)).toEqual([0, 0, 0, 0]);
    expect(ds.droppedRows).toBe(1);
  });

  it('maps -1/+1 labels to 0/1', () => {
    const ds = build('x,a,b\n1,-1,1\n2,+1,0\n', { target: ['a', 'b'] });
    expect(Array.from(ds.Y!)).toEqual([0, 1, 1, 0]);
  });

  it('rejects a label column that is not 0/1-like, naming the line', () => {
    const e = dataError(() => build('x,a,b\n1,1,0\n2,0,maybe\n', { target: ['a', 'b'] }));
    expect(e.diagnostic).toMatchObject({ code: 'target.not-binary', line: 3 });
    expect(e.message).toContain("label column 'b' must hold 0/1 values (or true/false, yes/no), but line 3 has 'maybe'");
  });

  it('rejects a label that never changes', () => {
    const e = dataError(() => build('x,a,b\n1,1,0\n2,0,0\n', { target: ['a', 'b'] }));
    expect(e.message).toContain("label column 'b' is always 0");
  });
});

describe('encodeForPrediction', () => {
  const train = 'size,color,label\n1,red,yes\n2,blue,no\n3,green,yes\n';

  it('encodes the training table exactly as buildDataset does', () => {
    const table = parseCsvText(train);
    const ds = buildDataset(table, inferColumns(table), { target: 'label' });
    const enc = encodeForPrediction(table, ds.features);
    expect(enc.n).toBe(3);
    expect(Array.from(enc.X)).toEqual(Array.from(ds.X));
    expect(Array.from(enc.rowLines)).toEqual([2, 3, 4]);
    expect(enc.warnings).toEqual([]);
  });

  it('finds columns by name, in any order, without the target', () => {
    const table = parseCsvText(train);
    const ds = buildDataset(table, inferColumns(table), { target: 'label' });
    const fresh = parseCsvText('color,extra,size\nblue,x,7\nNA,y,\npurple,z,abc\nred,w,2\n');
    const enc = encodeForPrediction(fresh, ds.features, { fileName: 'new.csv' });
    expect(ds.featureNames).toEqual(['size', 'color=blue', 'color=green', 'color=red']);
    expect(rows(enc.X, 4)).toEqual([
      [7, 1, 0, 0],
      [NaN, 0, 0, 0],
      [NaN, 0, 0, 0],
      [2, 0, 0, 1],
    ]);
    expect(enc.warnings.map((w) => [w.code, w.line])).toEqual([
      ['feature.not-number', 4],
      ['feature.unknown-level', 4],
    ]);
    expect(enc.warnings[1].message).toBe("column 'color' has 1 value not seen in training (first 'purple' at line 4); encoded as all zeros");
    expect(enc.warnings[1].file).toBe('new.csv');
  });

  it('rejects a file without a column the model needs', () => {
    const table = parseCsvText(train);
    const ds = buildDataset(table, inferColumns(table), { target: 'label' });
    const e = dataError(() => encodeForPrediction(parseCsvText('color\nred\n'), ds.features, { fileName: 'new.csv' }));
    expect(e.message).toBe("new.csv: error: column 'size' used by the model is missing from the file");
  });

  it('honours an explicit decimalComma', () => {
    const features = [{ kind: 'numeric' as const, column: 'x', name: 'x' }];
    const table = parseCsvText('x;z\n"1,5";a\n', { delimiter: ';' });
    expect(Array.from(encodeForPrediction(table, features, { decimalComma: true }).X)).toEqual([1.5]);
    expect(encodeForPrediction(table, features, { decimalComma: false }).X[0]).toBeNaN();
  });
});
