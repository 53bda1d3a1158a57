#!/usr/bin/python3
"""The whole `logit-lab train FILE --target y --test-size 0 --val-size 0` job with the tools a Python
user would pick: pandas.read_csv, StandardScaler, LogisticRegression(lbfgs, C=1, tol=1e-8 as Logit
Lab's default, max_iter=1000), then the evaluation the panel shows for the training rows: accuracy,
log-loss, Brier, the confusion matrix at 0.5 with per-class precision/recall/F1, ROC AUC, average
precision, the ROC and PR curves, the 10-bin reliability diagram and ECE, a stratified sample of 2000
points and a 2-D PCA of 5000 sampled rows. (No calibration: with --val-size 0 Logit Lab fits none; no
standard errors: Logit Lab gives none for a penalized fit.) Prints one JSON line: wall
(perf_counter) and CPU (process_time) milliseconds of each phase, the objective, peak RSS.
Usage: sklearn_e2e.py FILE [--tol T]"""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (accuracy_score, average_precision_score, brier_score_loss, confusion_matrix,
                             log_loss, precision_recall_curve, precision_recall_fscore_support, roc_auc_score,
                             roc_curve)
from sklearn.preprocessing import StandardScaler

path = sys.argv[1]
tol = float(sys.argv[sys.argv.index('--tol') + 1]) if '--tol' in sys.argv else 1e-8
phases = {}
clock = [time.perf_counter(), time.process_time()]


def phase(name):
    w, c = time.perf_counter(), time.process_time()
    phases[name + 'Ms'] = (w - clock[0]) * 1e3
    phases[name + 'CpuMs'] = (c - clock[1]) * 1e3
    clock[0], clock[1] = w, c


df = pd.read_csv(path)
X = df.iloc[:, :-1].to_numpy(dtype=np.float64)
y = df.iloc[:, -1].to_numpy()
del df
phase('parse')
Xs = StandardScaler().fit_transform(X)
del X
clf = LogisticRegression(C=1.0, tol=tol, max_iter=1000).fit(Xs, y)
phase('fit')
p1 = clf.predict_proba(Xs)[:, 1]
yy = (y == clf.classes_[1]).astype(np.int64)
pred = (p1 >= 0.5).astype(np.int64)
metrics = {
    'accuracy': accuracy_score(yy, pred), 'logLoss': log_loss(yy, p1), 'brier': brier_score_loss(yy, p1),
    'confusion': confusion_matrix(yy, pred).tolist(), 'prf': [v.tolist() for v in precision_recall_fscore_support(yy, pred)[:3]],
    'rocAuc': roc_auc_score(yy, p1), 'averagePrecision': average_precision_score(yy, p1),
}
roc = roc_curve(yy, p1)
pr = precision_recall_curve(yy, p1)
# Reliability diagram, 10 equal bins, and the expected calibration error.
bins = np.clip(np.searchsorted(np.linspace(0, 1, 11)[1:-1], p1, side='left'), 0, 9)
count = np.bincount(bins, minlength=10)
mean_p = np.bincount(bins, weights=p1, minlength=10) / np.maximum(count, 1)
frac = np.bincount(bins, weights=yy, minlength=10) / np.maximum(count, 1)
metrics['ece'] = float(np.sum(count / len(yy) * np.abs(frac - mean_p)))
rng = np.random.default_rng(0)
points = np.concatenate([rng.choice(np.flatnonzero(yy == k), size=int(round(2000 * np.mean(yy == k))), replace=False) for k in (0, 1)])
projection = PCA(n_components=2).fit(Xs[rng.choice(len(yy), size=5000, replace=False)]).transform(Xs[points])
phase('evaluate')
z = Xs @ clf.coef_[0] + clf.intercept_[0]
objective = float(np.sum(np.logaddexp(0, z) - yy * z) + 0.5 * clf.coef_[0] @ clf.coef_[0])
print(json.dumps({
    'rows': int(Xs.shape[0]), 'features': int(Xs.shape[1]), **phases,
    'iterations': int(clf.n_iter_[0]), 'objective': objective, 'rocAuc': float(metrics['rocAuc']),
    'rssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
