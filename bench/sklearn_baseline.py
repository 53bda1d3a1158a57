#!/usr/bin/python3
"""The same job with the tools a user would otherwise pick: pandas.read_csv + StandardScaler +
scikit-learn LogisticRegression(lbfgs, C=1, default tol; multinomial for more than two classes).
Prints one JSON line like bench.ts."""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

path = sys.argv[1]
t0 = time.perf_counter()
df = pd.read_csv(path)
t1 = time.perf_counter()
X = df.iloc[:, :-1].to_numpy(dtype=np.float64)
y = df.iloc[:, -1].to_numpy()
Xs = StandardScaler().fit_transform(X)
t2 = time.perf_counter()
clf = LogisticRegression(C=1.0, max_iter=1000).fit(Xs, y)
t3 = time.perf_counter()
# C * sum of log-losses + ||W||^2 / 2 (C = 1), as bench.ts's sklearnObjective.
if len(clf.classes_) == 2:
    z = Xs @ clf.coef_[0] + clf.intercept_[0]
    yy = (y == clf.classes_[1]).astype(np.float64)
    objective = float(np.sum(np.logaddexp(0, z) - yy * z) + 0.5 * clf.coef_[0] @ clf.coef_[0])
else:
    Z = Xs @ clf.coef_.T + clf.intercept_
    m = Z.max(axis=1)
    lse = m + np.log(np.exp(Z - m[:, None]).sum(axis=1))
    zy = Z[np.arange(len(y)), np.searchsorted(clf.classes_, y)]
    objective = float(np.sum(lse - zy) + 0.5 * np.sum(clf.coef_ * clf.coef_))
print(json.dumps({
    'tool': 'pandas+sklearn', 'rows': int(X.shape[0]), 'features': int(X.shape[1]),
    'readMs': (t1 - t0) * 1e3, 'parseMs': 0.0, 'scaleMs': (t2 - t1) * 1e3, 'fitMs': (t3 - t2) * 1e3,
    'totalMs': (t3 - t0) * 1e3, 'iterations': int(clf.n_iter_[0]), 'objective': objective,
    'rssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
