#!/usr/bin/python3
"""scikit-learn's side of bench/cv.mjs: pandas.read_csv, StandardScaler on every row (once: cheaper
than Logit Lab's scaling inside each fold), then LogisticRegressionCV(Cs=20 log-spaced over
[1e-4, 1e4], cv=StratifiedKFold(5), scoring='neg_log_loss', solver='lbfgs', the same tol, refit on
every row as Logit Lab's regularization path). Prints one JSON line: CPU time (time.process_time,
every thread of the process, BLAS included) of loading and of the CV, wall time, peak RSS, the chosen
C and the mean scores along the grid.

Usage: /usr/bin/python3 bench/sklearn_cv.py FILE [tol] [points] [folds]"""
import json
import resource
import sys
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegressionCV
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler

path = sys.argv[1]
tol = float(sys.argv[2]) if len(sys.argv) > 2 else 1e-4
points = int(sys.argv[3]) if len(sys.argv) > 3 else 20
folds = int(sys.argv[4]) if len(sys.argv) > 4 else 5
warnings.simplefilter('ignore', ConvergenceWarning)
c0 = time.process_time()
w0 = time.perf_counter()
df = pd.read_csv(path)
X = StandardScaler().fit_transform(df.iloc[:, :-1].to_numpy(dtype=np.float64))
y = df.iloc[:, -1].to_numpy()
c1 = time.process_time()
w1 = time.perf_counter()
Cs = np.logspace(-4, 4, points)
cv = LogisticRegressionCV(Cs=Cs, cv=StratifiedKFold(folds), scoring='neg_log_loss', solver='lbfgs', tol=tol, max_iter=1000, refit=True).fit(X, y)
c2 = time.process_time()
w2 = time.perf_counter()
scores = next(iter(cv.scores_.values()))  # folds x Cs
print(json.dumps({
    'tool': 'scikit-learn', 'loadCpuMs': (c1 - c0) * 1e3, 'cvCpuMs': (c2 - c1) * 1e3, 'cvWallMs': (w2 - w1) * 1e3,
    'totalWallMs': (w2 - w0) * 1e3, 'rssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    'chosenC': float(cv.C_[0]), 'mean': scores.mean(axis=0).tolist(),
    'fits': int(folds * points + 1), 'iterations': int(np.sum(cv.n_iter_)),
}))
