/**
 * The exported scripts, run by the real tools: the scikit-learn script with Debian's python3-sklearn
 * and the R script with r-base-core + r-cran-glmnet reproduce Logit Lab's coefficients (original
 * units) within 1e-4 · max(1, |value|) on the same split; the PySpark job is byte-compiled by Python
 * and its LogisticRegression call checked in the syntax tree (Spark itself is not installed). A
 * missing tool fails these tests: CI installs them (scripts/e2e/setup.sh).
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportScript, scriptSource, type ScriptKind } from '../../../../src/core/report/exportScripts';
import type { TrainSettings } from '../../../../src/core/run/settings';
import { trainFromFile, withTrainingTable } from '../../../../src/node/loadDataset';

const root = join(__dirname, '..', '..', '..', '..');
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'logit-lab-export-'));

interface Case { name: string; file: string; settings: Partial<TrainSettings>; tools: ScriptKind[] }
const CASES: Case[] = [
  { name: 'binary, L2, default split', file: 'samples/binary.csv', settings: {}, tools: ['sklearn', 'r'] },
  { name: 'iris multinomial, elastic net C=0.5', file: 'samples/iris.csv', settings: { penalty: 'elasticnet', C: 0.5, l1Ratio: 0.5 }, tools: ['sklearn', 'r'] },
  { name: 'one-hot column, L1, balanced class weights', file: 'test/fixtures/datasets/collinear.csv', settings: { penalty: 'l1', C: 0.3, classWeight: 'balanced' }, tools: ['sklearn', 'r'] },
  { name: 'wine one-vs-rest, L2 C=0.1', file: 'test/fixtures/datasets/wine.csv', settings: { model: 'ovr', C: 0.1 }, tools: ['sklearn', 'r'] },
  { name: 'iris one-vs-rest, raw units', file: 'samples/iris.csv', settings: { model: 'ovr', standardize: false, maxIter: 5000 }, tools: ['sklearn', 'r'] },
  { name: 'iris versicolor/virginica, no penalty', file: 'test/fixtures/datasets/iris_vv.csv', settings: { penalty: 'none' }, tools: ['sklearn', 'r'] },
  // Feature expansion (issue 16 §3): PolynomialFeatures in the pipeline between the imputer and the scaler.
  { name: 'circles, degree-2 polynomial', file: 'samples/circles.csv', settings: { expansion: { degree: 2, interactionOnly: false, log: [], log1p: [], bins: [] } }, tools: ['sklearn'] },
  { name: 'iris, log + log1p + degree-2 interactions, C=0.5', file: 'samples/iris.csv', settings: { C: 0.5, expansion: { degree: 2, interactionOnly: true, log: ['sepal_length'], log1p: ['petal_width'], bins: [] } }, tools: ['sklearn'] },
  { name: 'binary, 4 bins of x1 and degree 2', file: 'samples/binary.csv', settings: { expansion: { degree: 2, interactionOnly: false, log: [], log1p: [], bins: [{ feature: 'x1', n: 4 }] } }, tools: ['sklearn'] },
  { name: 'one-hot column, degree 3, L1', file: 'test/fixtures/datasets/collinear.csv', settings: { penalty: 'l1', C: 0.5, expansion: { degree: 3, interactionOnly: false, log: [], log1p: [], bins: [] } }, tools: ['sklearn'] },
];

function scriptFor(kind: ScriptKind, file: string, settings: Partial<TrainSettings>) {
  const path = join(root, file);
  const report = trainFromFile(path, settings, { fileName: file });
  const model = report.model;
  const source = withTrainingTable(path, file, (table) => scriptSource(model, table, path, file));
  return { model, text: exportScript(kind, model, source) };
}

function lastJson(output: string): { coef: number[][]; intercept: number[] } {
  const lines = output.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

describe('exported scripts reproduce the coefficients', () => {
  for (const c of CASES) {
    for (const kind of c.tools) {
      it(`${kind}: ${c.name}`, async () => {
        const { model, text } = scriptFor(kind, c.file, c.settings);
        const script = join(dir, `${c.name.replace(/\W+/g, '_')}.${kind === 'r' ? 'R' : 'py'}`);
        writeFileSync(script, text);
        // Asynchronously: a tool may take seconds, and the test worker must stay responsive.
        const { stdout } = await run(kind === 'r' ? 'Rscript' : '/usr/bin/python3', [script], { encoding: 'utf8' });
        const got = lastJson(stdout);
        expect(got.coef).toHaveLength(model.coef.length);
        model.coef.forEach((row, k) => {
          row.forEach((w, j) => expect(Math.abs(got.coef[k][j] - w)).toBeLessThan(1e-4 * Math.max(1, Math.abs(w))));
          expect(Math.abs(got.intercept[k] - model.intercept[k])).toBeLessThan(1e-4 * Math.max(1, Math.abs(model.intercept[k])));
        });
      }, 180_000);
    }
  }
});

describe('PySpark job', () => {
  for (const c of CASES.slice(0, 3)) {
    it(`compiles and maps the objective: ${c.name}`, () => {
      const { model, text } = scriptFor('pyspark', c.file, c.settings);
      const script = join(dir, `${c.name.replace(/\W+/g, '_')}_spark.py`);
      writeFileSync(script, text);
      execFileSync('/usr/bin/python3', ['-m', 'py_compile', script]);
      // The LogisticRegression call's keywords, and the constants the job is given, read from its syntax tree.
      const probe = `import ast, json, sys
tree = ast.parse(open(sys.argv[1]).read())
calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, 'id', '') == 'LogisticRegression']
consts = {t.id: ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name) and t.id in ('C', 'L1_RATIO', 'PENALIZED', 'BALANCED')}
regs = [ast.unparse(n.value) for n in ast.walk(tree) if isinstance(n, ast.Assign) and any(getattr(t, 'id', '') == 'reg_param' for t in n.targets)]
print(json.dumps({'keywords': {k.arg: ast.unparse(k.value) for k in calls[0].keywords}, 'consts': consts, 'reg': regs}))`;
      const info = JSON.parse(execFileSync('/usr/bin/python3', ['-c', probe, script], { encoding: 'utf8' }));
      expect(info.keywords).toMatchObject({ regParam: 'reg_param', elasticNetParam: 'L1_RATIO', family: 'family', standardization: 'False', fitIntercept: 'True', weightCol: "'w'" });
      expect(info.reg).toEqual(['1.0 / (C * total_weight) if PENALIZED else 0.0']);
      const s = model.settings;
      expect(info.consts).toEqual({ C: s.C, L1_RATIO: s.penalty === 'l1' ? 1 : s.penalty === 'elasticnet' ? s.l1Ratio : 0, PENALIZED: s.penalty !== 'none', BALANCED: s.classWeight === 'balanced' });
      expect(text).toContain(model.kind === 'multinomial' ? '"multinomial"' : '"binomial"');
    }, 60_000);
  }
});
