#!/usr/bin/python3
"""The whole `logit-lab train FILE --target y --test-size 0 --val-size 0` job with the tools a Python
user would pick: pandas.read_csv, StandardScaler, LogisticRegression(lbfgs, C=1, tol=1e-8 as Logit
Lab's default, max_iter=1000; multinomial for more than two classes, scikit-learn's default with
lbfgs), then the evaluation the panel shows for the training rows, as Logit Lab computes it
(src/core/evaluate/evaluate.ts):
- two classes: accuracy, log-loss, Brier, the confusion matrix at 0.5 with per-class
  precision/recall/F1, ROC AUC, average precision, the ROC and PR curves, the 10-bin reliability
  diagram and ECE;
- more classes: accuracy, log-loss, the multiclass Brier score, the confusion matrix at the argmax
  with per-class, macro and weighted precision/recall/F1, the one-vs-rest ROC AUC and average
  precision (macro), the top-label ECE, and per class the one-vs-rest ROC curve with its AUC, the PR
  curve with its average precision, the threshold sweep (counts at every distinct score) and the
  10-bin reliability diagram with its ECE and Brier score;
- both: a stratified sample of 2000 points with their predicted class, and a 2-D PCA of 5000 sampled
  rows (the panel's projection) applied to them.
The peer sorts no more than it needs: per class one roc_curve (all thresholds: the curve, its area and
the sweep) and one precision_recall_curve (the curve and the average precision), the areas computed from
them as roc_auc_score and average_precision_score do (the same values: checked to 1e-16 against them).
(No calibration: with --val-size 0 Logit Lab fits none; no standard errors: Logit Lab gives none for
a penalized fit.) Prints one JSON line: wall (perf_counter) and CPU (process_time) milliseconds of
each phase, the classes, the objective in Logit Lab's terms (`objective`, below), peak RSS.
Usage: sklearn_e2e.py FILE [--tol T]"""
import json
import resource
import sys
import time

import numpy as np


def objective(Xs, yk, coef, intercept):
    """scikit-learn's objective at C = 1, as Logit Lab reports it (docs/objective.md): the summed
    cross-entropy plus 0.5 ||W||^2, intercepts unpenalized. coef is K x d (1 x d for a binary model,
    whose yk is 0/1), intercept K; yk the class index per row."""
    coef = np.atleast_2d(coef)
    Z = Xs @ coef.T + intercept
    if coef.shape[0] == 1:
        z = Z[:, 0]
        data = np.sum(np.logaddexp(0, z) - yk * z)
    else:
        m = Z.max(axis=1)
        lse = m + np.log(np.sum(np.exp(Z - m[:, None]), axis=1))
        data = np.sum(lse - Z[np.arange(len(yk)), yk])
    return float(data + 0.5 * np.sum(coef * coef))


def reliability(y01, p, bins=10):
    """Logit Lab's reliability diagram: equal bins, p in (edge_b, edge_b+1] (0 in the first); the bins'
    counts, mean probability and observed frequency, the ECE and the Brier score."""
    b = np.clip(np.searchsorted(np.linspace(0, 1, bins + 1)[1:-1], p, side='left'), 0, bins - 1)
    count = np.bincount(b, minlength=bins)
    mean_p = np.bincount(b, weights=p, minlength=bins) / np.maximum(count, 1)
    frac = np.bincount(b, weights=y01, minlength=bins) / np.maximum(count, 1)
    ece = float(np.sum(count / len(p) * np.abs(frac - mean_p)))
    return {'count': count, 'meanP': mean_p, 'frac': frac, 'ece': ece, 'brier': float(np.mean((p - y01) ** 2))}


def drawn(n, most=1000):
    """The indices of a curve's drawn points: at most `most`, evenly spread, the first and the last kept."""
    return np.unique(np.linspace(0, n - 1, min(n, most)).round().astype(np.int64))


def ranking_curves(y01, p):
    """One class's ROC curve (all its thresholds: the sweep's counts), its area, the PR curve and its
    average precision: one sort each for roc_curve and precision_recall_curve, the areas from the curves
    as roc_auc_score and average_precision_score compute them (a peer that sorts no more than it needs)."""
    from sklearn.metrics import auc, precision_recall_curve, roc_curve
    fpr, tpr, thresholds = roc_curve(y01, p, drop_intermediate=False)
    precision, recall, _ = precision_recall_curve(y01, p)
    return fpr, tpr, thresholds, auc(fpr, tpr), precision, -np.sum(np.diff(recall) * precision[:-1])


def evaluate_binary(clf, Xs, yk):
    from sklearn.metrics import accuracy_score, brier_score_loss, confusion_matrix, log_loss, precision_recall_fscore_support
    p1 = clf.predict_proba(Xs)[:, 1]
    pred = (p1 >= 0.5).astype(np.int64)
    fpr, _, _, roc_auc, precision, ap = ranking_curves(yk, p1)
    out = {
        'accuracy': accuracy_score(yk, pred), 'logLoss': log_loss(yk, p1), 'brier': brier_score_loss(yk, p1),
        'confusion': confusion_matrix(yk, pred).tolist(), 'prf': [v.tolist() for v in precision_recall_fscore_support(yk, pred)[:3]],
        'rocAuc': roc_auc, 'averagePrecision': ap, 'curves': [fpr[drawn(len(fpr))], precision[drawn(len(precision))]],
        'ece': reliability(yk, p1)['ece'],
    }
    return out, pred


def evaluate_multiclass(clf, Xs, yk):
    from sklearn.metrics import accuracy_score, confusion_matrix, log_loss, precision_recall_fscore_support
    K = len(clf.classes_)
    proba = clf.predict_proba(Xs)
    pred = np.argmax(proba, axis=1)
    onehot = np.zeros_like(proba)
    onehot[np.arange(len(yk)), yk] = 1
    curves = []
    for k in range(K):
        y01 = onehot[:, k]
        positives = y01.sum()
        fpr, tpr, thresholds, roc_auc, precision, ap = ranking_curves(y01, proba[:, k])
        # The sweep: the counts at every distinct score (Logit Lab keeps 4096 of them).
        sweep = drawn(len(thresholds), 4096)
        curves.append({
            'roc': fpr[drawn(len(fpr))], 'auc': roc_auc, 'pr': precision[drawn(len(precision))], 'averagePrecision': ap,
            'sweep': [tpr[sweep] * positives, fpr[sweep] * (len(y01) - positives)], 'reliability': reliability(y01, proba[:, k]),
        })
    out = {
        'accuracy': accuracy_score(yk, pred), 'logLoss': log_loss(yk, proba, labels=np.arange(K)),
        'brier': float(np.mean(np.sum((proba - onehot) ** 2, axis=1))),
        'confusion': confusion_matrix(yk, pred, labels=np.arange(K)).tolist(),
        'perClass': [v.tolist() for v in precision_recall_fscore_support(yk, pred, labels=np.arange(K), zero_division=0)[:3]],
        'macro': precision_recall_fscore_support(yk, pred, average='macro', zero_division=0)[:3],
        'weighted': precision_recall_fscore_support(yk, pred, average='weighted', zero_division=0)[:3],
        # One-vs-rest, macro: what roc_auc_score(multi_class='ovr') and average_precision_score(average='macro') give.
        'rocAuc': float(np.mean([c['auc'] for c in curves])), 'averagePrecision': float(np.mean([c['averagePrecision'] for c in curves])),
        'ece': reliability((pred == yk).astype(np.float64), proba[np.arange(len(yk)), pred])['ece'],
        'curves': curves,
    }
    return out, pred


def points_and_projection(Xs, yk, pred, classes, rng):
    """A stratified sample of 2000 points with their predicted class; a PCA of 5000 sampled rows applied to them."""
    from sklearn.decomposition import PCA
    n = len(yk)
    points = np.concatenate([rng.choice(np.flatnonzero(yk == k), size=int(round(2000 * np.mean(yk == k))), replace=False) for k in range(len(classes))])
    projection = PCA(n_components=2).fit(Xs[rng.choice(n, size=min(n, 5000), replace=False)]).transform(Xs[points])
    return points, pred[points], projection


def main():
    path = sys.argv[1]
    tol = float(sys.argv[sys.argv.index('--tol') + 1]) if '--tol' in sys.argv else 1e-8
    phases = {}
    clock = [time.perf_counter(), time.process_time()]

    def phase(name):
        w, c = time.perf_counter(), time.process_time()
        phases[name + 'Ms'] = (w - clock[0]) * 1e3
        phases[name + 'CpuMs'] = (c - clock[1]) * 1e3
        clock[0], clock[1] = w, c

    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler
    phase('imports')
    df = pd.read_csv(path)
    X = df.iloc[:, :-1].to_numpy(dtype=np.float64)
    y = df.iloc[:, -1].to_numpy()
    del df
    phase('parse')
    Xs = StandardScaler().fit_transform(X)
    del X
    clf = LogisticRegression(C=1.0, tol=tol, max_iter=1000).fit(Xs, y)
    phase('fit')
    classes = clf.classes_
    yk = np.searchsorted(classes, y)
    metrics, pred = (evaluate_binary if len(classes) == 2 else evaluate_multiclass)(clf, Xs, yk)
    points_and_projection(Xs, yk, pred, classes, np.random.default_rng(0))
    phase('evaluate')
    print(json.dumps({
        'rows': int(Xs.shape[0]), 'features': int(Xs.shape[1]), 'classes': [str(c) for c in classes], **phases,
        'iterations': int(np.max(clf.n_iter_)), 'objective': objective(Xs, yk, clf.coef_, clf.intercept_),
        'accuracy': float(metrics['accuracy']), 'rocAuc': float(metrics['rocAuc']),
        'rssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == '__main__':
    main()
