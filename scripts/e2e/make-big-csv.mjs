#!/usr/bin/env node
// The UI journey's big file (test/e2e/ui.test.mjs, "a big file (1,500,000 rows)"): bench/generate.mjs's
// binary CSV, 1,500,000 rows x 10 unscaled features and y (about 147 MB): past the preview's 4 MB sample,
// and a run long enough to stream its loss. Usage: node scripts/e2e/make-big-csv.mjs OUT.csv
import { generate } from '../../bench/generate.mjs';

await generate(process.argv[2], 1_500_000, 10, 2);
