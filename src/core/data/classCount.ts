/**
 * How many classes a target may have. A column with thousands of distinct labels in a few rows per
 * label is an identifier, a free-text field or a continuous value, not a class: fitting it costs
 * K x d weights, K one-vs-rest curves and a K x K confusion matrix per split (5,000 labels in 10,000
 * rows took 51-94 s and 3.9 GB). Such a target is refused with one message naming it; targets with
 * many classes and enough rows per class train, and their per-class evaluation stays bounded
 * (MAX_CLASSES_IN_DETAIL).
 */
import { DataError } from '../diagnostics';

/** Up to this many classes a target is never refused for its class count. */
export const FEW_CLASSES = 50;
/** Above FEW_CLASSES, the average rows per class a target must have. */
export const MIN_ROWS_PER_CLASS = 10;
/** Above this many classes the report keeps per-class scores but no K x K confusion matrix and no per-class curves. */
export const MAX_CLASSES_IN_DETAIL = 50;

/** "5,000": thousands separated, as the messages print counts. */
export const count = (n: number) => n.toLocaleString('en-US');

/** Throws when target `name` with K classes over n rows looks like an identifier rather than a class. */
export function checkClassCount(name: string, K: number, n: number, file: string | undefined): void {
  if (K <= FEW_CLASSES || K * MIN_ROWS_PER_CLASS <= n) return;
  throw new DataError({
    code: 'target.too-many-classes',
    file,
    message: `'${name}' has ${count(K)} distinct values in ${count(n)} rows: is it an identifier? A target with more than ${FEW_CLASSES} classes needs at least ${MIN_ROWS_PER_CLASS} rows per class on average; choose another target column`,
  });
}
