# NumPy homework: the logistic loss and its gradient (Logit Lab's Python gradient check tests).
# %%
import numpy as np

X = np.array([[1.0, 0.5], [1.0, -1.2], [1.0, 2.0], [1.0, 0.1]])
y = np.array([1.0, 0.0, 1.0, 0.0])


def cost(theta):
    h = 1 / (1 + np.exp(-(X @ theta)))
    J = -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h))
    return J, X.T @ (h - y) / len(y)


def cost_draft(theta):
    h = 1 / (1 + np.exp(-(X @ theta)))
    J = -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h))
    return J, X.T @ (h - y) / (2 * len(y))


# %% gradcheck
check_gradient(cost, np.zeros(2))

# %% gradcheck
check_gradient(cost_draft, np.array([0.1, -0.2]))
