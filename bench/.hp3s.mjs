// ad-hoc: drive TrainingSession like the panel (preview count false + train), print moments
import { join } from 'node:path';
import * as esbuild from 'esbuild';
const root = process.argv[2];
const csv = process.argv[3] ?? join(root, 'bench/data/binary_1000000x20.csv');
const count = process.argv.includes('--count');
const built = await esbuild.build({ entryPoints: [join(root, 'src/host/trainingSession.ts')], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'error' });
const { TrainingSession } = await import(`data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString('base64')}`);
const { DEFAULT_SETTINGS } = await import(`data:text/javascript;base64,${Buffer.from((await esbuild.build({ entryPoints: [join(root, 'src/core/run/settings.ts')], bundle: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'error' })).outputFiles[0].text).toString('base64')}`);
const t0 = performance.now();
const at = () => Math.round(performance.now() - t0);
const ev = {};
const s = new TrainingSession(join(root, 'dist/trainWorker.js'), { info() {}, warn() {}, error() {} });
const p = process.argv.includes('--nopreview') ? Promise.resolve() : s.preview(csv, 'f.csv', () => (ev.estimate ??= at()), count).then(() => (ev.previewDone = at()));
const r = await s.train(csv, 'f.csv', DEFAULT_SETTINGS, (pr) => { ev[pr.phase] ??= at(); });
ev.finished = at();
await p;
console.log(JSON.stringify({ ...ev, timings: r.report?.timings }));
s.dispose();
