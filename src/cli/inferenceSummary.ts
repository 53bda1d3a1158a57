/** The "Inference" section of `logit-lab train`'s summary: statsmodels/R-style coefficient tables and fit statistics. */
import { formatPValue as fmtP, type Inference, type InferenceTable } from '../core/evaluate/inference';
import { fmt, table } from './summary';


function tableLines(t: InferenceTable, kind: string): string[] {
  const f = t.fit;
  const lines: string[] = [];
  const what = t.reference !== undefined ? `softmax, each class against '${t.reference}'` : `log-odds of '${t.name}'${kind === 'ovr' || kind === 'multilabel' ? ' against the rest' : ''}`;
  lines.push(`  ${what}: ${f.nObs} rows, ${f.nParams} parameters`);
  lines.push(`  log-likelihood ${fmt(f.logLikelihood)} (null ${fmt(f.nullLogLikelihood)}), LR chi2(${f.llrDf}) = ${fmt(f.llr)}, p ${fmtP(f.llrPValue)}`);
  lines.push(`  McFadden pseudo-R2 ${fmt(f.pseudoR2)}, AIC ${fmt(f.aic)}, BIC ${fmt(f.bic)}, deviance ${fmt(f.deviance)} (null ${fmt(f.nullDeviance)})`);
  const head = ['term', ...(t.blocks.length > 1 ? ['class'] : []), 'estimate', 'std. error', 'z', 'P>|z|', '[0.025', '0.975]', 'odds ratio', '[0.025', '0.975]'];
  const rows: string[][] = [head];
  for (const b of t.blocks) {
    for (const c of b.terms) {
      rows.push([
        c.suspect ? `${c.term} !` : c.term,
        ...(t.blocks.length > 1 ? [b.name] : []),
        fmt(c.estimate), fmt(c.se), fmt(c.z), fmtP(c.p), fmt(c.ciLow), fmt(c.ciHigh), fmt(c.oddsRatio), fmt(c.oddsLow), fmt(c.oddsHigh),
      ]);
    }
  }
  lines.push(...table(rows, head.map((_, j) => j > (t.blocks.length > 1 ? 1 : 0))));
  for (const flag of t.flags) lines.push(`  ${flag.code === 'separation' ? '! ' : ''}${flag.code}: ${flag.message}`);
  return lines;
}

/** The section's lines (empty for a run without inference, e.g. streaming). */
export function inferenceLines(inf: Inference | undefined, kind: string): string[] {
  if (!inf) return [];
  if (!inf.available) return ['', 'Inference', `  not shown: ${inf.reason}`];
  const lines = ['', `Inference (maximum likelihood; standard errors from the observed information; original units; ${inf.iterations} iterations + ${inf.polishSteps} Newton polish steps)`];
  inf.tables.forEach((t, i) => {
    if (i > 0) lines.push('');
    lines.push(...tableLines(t, kind));
  });
  return lines;
}
