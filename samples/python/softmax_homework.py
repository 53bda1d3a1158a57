# Softmax regression homework: the loss and its gradient, vectorized with NumPy.
# Run it as a script, cell by cell in VS Code, or check the gradients with Logit Lab:
# click "Check gradient" above the "# %% gradcheck" cell, or run
#   logit-lab gradcheck samples/python/softmax_homework.py

# %% Data: 12 points, 5 features, 4 classes
import numpy as np

rng = np.random.default_rng(0)
num_train, num_features, num_classes = 12, 5, 4
X = rng.normal(size=(num_train, num_features))
y = rng.integers(0, num_classes, size=num_train)
W0 = 0.01 * rng.normal(size=(num_features, num_classes))


# %% The loss with a correct gradient
def softmax_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    scores = X @ W
    scores -= scores.max(axis=1, keepdims=True)
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(num_train), y]).sum() / num_train + reg * np.sum(W * W)
    dscores = probs.copy()
    dscores[np.arange(num_train), y] -= 1
    dW = X.T @ dscores / num_train + 2 * reg * W
    return loss, dW


# %% The same loss with a slip in the gradient of the regularization
def softmax_loss_draft(W, X, y, reg):
    num_train = X.shape[0]
    scores = X @ W
    scores -= scores.max(axis=1, keepdims=True)
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(num_train), y]).sum() / num_train + reg * np.sum(W * W)
    dscores = probs.copy()
    dscores[np.arange(num_train), y] -= 1
    dW = X.T @ dscores / num_train + reg * W
    return loss, dW


# %% gradcheck
check_gradient(lambda W: softmax_loss_vectorized(W, X, y, 0.1), W0)
check_gradient(lambda W: softmax_loss_draft(W, X, y, 0.1), W0)
