import { basename } from 'node:path';
import { DataError } from '../core/diagnostics';
import { CV_SCORINGS, crossValidate, parseCsGrid, type CvResult, type CvRule, type CvScoring } from '../core/run/crossValidate';
import { withTrainingTable } from '../node/loadDataset';
import { choiceFlag, numberFlag, parseArgs, type FlagSpec } from './args';
import { EXIT_OK, type CliIo } from './io';
import { fmt, table } from './summary';
import { settingsFromArgs } from './train';

export const CV_USAGE = `Usage: logit-lab cv FILE [--folds k] [--Cs n|list] [--scoring neg_log_loss|accuracy|roc_auc] [--rule best|1se] [--json] [train options]

Chooses C by stratified k-fold cross-validation on the training split (validation and test rows stay
out; --test-size 0 --val-size 0 uses every row), as scikit-learn's LogisticRegressionCV: the same
folds as StratifiedKFold(k), imputation and scaling fitted inside each fold, warm starts along the grid.
Prints the validation curve (mean ± SD over folds), the C of the best mean and of the one-standard-
error rule (the smallest C within one SE of the best), and the regularization path.
  --folds k        folds (default 5)
  --Cs n|list      n log-spaced values over [1e-4, 1e4] (default 10, at most 100), or a comma-separated list
  --scoring S      neg_log_loss (default), accuracy or roc_auc (macro one-vs-rest for K > 2)
  --rule best|1se  which C to recommend (default best)
  --json           print the result as one JSON object
The data and model options of logit-lab train apply (target, features, penalty, l1-ratio,
class-weight, solver, standardization, split, seed, max-iter, tol).`;

const CV_FLAGS: FlagSpec = { folds: 'value', Cs: 'value', cs: 'value', scoring: 'value', rule: 'value' };

/** Splits argv into cv's own flags and the rest (train's options and FILE). */
function splitArgv(argv: string[]): { own: string[]; rest: string[] } {
  const own: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2).split('=')[0] : '';
    if (name in CV_FLAGS) {
      own.push(argv[i]);
      if (!argv[i].includes('=') && i + 1 < argv.length) own.push(argv[++i]);
    } else rest.push(argv[i]);
  }
  return { own, rest };
}

export function formatCv(r: CvResult, file: string): string {
  const lines = [`Cross-validation  ${file}: ${r.nRows} rows, ${r.folds} stratified folds (${r.foldSizes.join(', ')} rows), scoring ${r.scoring}`];
  const rows: string[][] = [['C', 'mean', '± SD', ...r.scores.map((_, f) => `fold ${f + 1}`), 'nonzero', '']];
  r.Cs.forEach((C, c) => {
    const nonzero = r.path.coef[c].reduce((s, row) => s + row.filter((w) => Math.abs(w) > 1e-10).length, 0);
    const mark = [c === r.bestIndex ? 'best' : '', c === r.oneSeIndex ? '1-SE' : ''].filter(Boolean).join(', ');
    rows.push([fmt(C), fmt(r.mean[c]), fmt(r.sd[c]), ...r.scores.map((s) => fmt(s[c])), String(nonzero), mark]);
  });
  lines.push(...table(rows, rows[0].map((_, j) => j < rows[0].length - 1)));
  lines.push('');
  lines.push(`Best mean        C = ${fmt(r.Cs[r.bestIndex])} (${r.scoring} ${fmt(r.mean[r.bestIndex])} ± ${fmt(r.se[r.bestIndex])} SE)`);
  lines.push(`One-SE rule      C = ${fmt(r.Cs[r.oneSeIndex])} (the smallest C within one standard error of the best)`);
  lines.push(`Chosen (${r.rule === 'best' ? 'best' : '1se'})    C = ${fmt(r.chosenC)}: train with --C ${r.chosenC}`);
  return lines.join('\n');
}

export function cvCommand(argv: string[], io: CliIo): number {
  const { own, rest } = splitArgv(argv);
  const a = parseArgs(own, CV_FLAGS, 'cv');
  const { file, settings, outputs } = settingsFromArgs(rest);
  if (outputs.help) {
    io.out(CV_USAGE);
    return EXIT_OK;
  }
  if (outputs.out || outputs.report || outputs.reportJson) throw new DataError({ code: 'cli.args', message: 'cv writes no model or report; train with the chosen C for those' });
  if (!file) throw new DataError({ code: 'cli.args', message: 'cv needs a FILE (logit-lab cv data.csv)' });
  const folds = numberFlag(a, 'folds', (v) => Number.isInteger(v) && v >= 2 && v <= 100, 'an integer from 2 to 100') ?? 5;
  const Cs = parseCsGrid(a.values.get('Cs') ?? a.values.get('cs'));
  const scoring = choiceFlag<CvScoring>(a, 'scoring', CV_SCORINGS) ?? 'neg_log_loss';
  const rule = choiceFlag<CvRule>(a, 'rule', ['best', '1se']) ?? 'best';
  const name = basename(file);
  let last = 0;
  const result = withTrainingTable(
    file,
    name,
    (t) =>
      crossValidate(t, settings, { folds, Cs, scoring, rule }, {
        fileName: name,
        onProgress: (p) => {
          const now = performance.now();
          if (now - last < 1000) return;
          last = now;
          io.err(`logit-lab: ${p.fold < p.folds ? `fold ${p.fold + 1}/${p.folds}` : 'regularization path'}, C ${p.point + 1}/${p.points}`);
        },
      }),
    (e) => new DataError({ code: 'cli.read', file, message: e.code === 'ENOENT' ? 'no such file' : e.message }),
  );
  io.out(outputs.json ? JSON.stringify(result) : formatCv(result, name));
  return EXIT_OK;
}
