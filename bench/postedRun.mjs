#!/usr/bin/env node
// The model panel's posted run (issue 20): bytes of the didFinishTraining message as the host posts it
// (packNumbers; structured clone = v8.serialize, and as JSON) with the whole report and as the webview
// gets it (messageForWebview: no per-class curves), and of each split's didLoadCurves answer.
// Usage: node bench/postedRun.mjs REPORT.json   (a report from `logit-lab train F.csv --report-json REPORT.json`)
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import { serialize } from 'node:v8';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const b = await esbuild.build({ stdin: { contents: `export { packNumbers, packReport, unpackNumbers } from './src/protocol/packNumbers'; export { messageForWebview, perClassCurvesOf } from './src/protocol/panel';`, resolveDir: root, loader: 'ts' }, bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'error' });
const m = await import(`data:text/javascript;base64,${Buffer.from(b.outputFiles[0].text).toString('base64')}`);
const report = m.packReport(JSON.parse(readFileSync(process.argv[2], 'utf8')));
const run = { id: 1, label: '#1', startedAt: '', durationMs: 1, settings: report.model.settings, report };
const msg = { type: 'didFinishTraining', run };
const median = (a) => a.sort((x, y) => x - y)[a.length >> 1];
const measure = (f) => { const ts = []; let out; for (let i = 0; i < 7; i++) { const t0 = performance.now(); out = f(); ts.push(performance.now() - t0); } return [out, median(ts)]; };
const [before, tb] = measure(() => serialize(m.packNumbers(msg)).length);
const [after, ta] = measure(() => serialize(m.packNumbers(m.messageForWebview(msg))).length);
const jsonBefore = JSON.stringify(m.unpackNumbers(msg)).length;
const jsonAfter = JSON.stringify(m.unpackNumbers(m.messageForWebview(msg))).length;
console.log(`posted didFinishTraining, structured clone: before ${(before / 1e6).toFixed(2)} MB (${tb.toFixed(0)} ms pack+clone), after ${(after / 1e6).toFixed(2)} MB (${ta.toFixed(0)} ms)`);
console.log(`as JSON: before ${(jsonBefore / 1e6).toFixed(2)} MB, after ${(jsonAfter / 1e6).toFixed(2)} MB`);
for (const s of ['train', 'validation', 'test']) {
  const c = m.perClassCurvesOf([run], 1, s);
  if (Array.isArray(c)) console.log(`didLoadCurves ${s}: ${(serialize(m.packNumbers({ type: 'didLoadCurves', runId: 1, split: s, curves: c })).length / 1e6).toFixed(2)} MB (${c.length} classes)`);
}
