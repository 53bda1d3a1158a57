/**
 * Ready examples from the course material, each correct; the tests also check a deliberately wrong
 * version of each. Sources are gradcheck blocks as a student would write them.
 */
export interface GalleryExample {
  id: string;
  title: string;
  description: string;
  source: string;
}

const DATA = `X = [0.5, -1.2; 1.0, 0.3; -0.7, 2.1]
y = [1; 0; 1]
w = [0.1; -0.2]`;

export const gallery: readonly GalleryExample[] = [
  {
    id: 'bce-one-sample',
    title: 'Binary cross-entropy, one sample',
    description: 'dL/dw = (sigma(w\'x) - y) x; the 1×1 product w\'*x acts as a scalar.',
    source: `x = [1.0; -0.5; 2.0]
y = 1
w = [0.1; -0.3; 0.2]
loss(w) = -(y * log(sigmoid(w'*x)) + (1 - y) * log(1 - sigmoid(w'*x)))
grad(w) = (sigmoid(w'*x) - y) * x`,
  },
  {
    id: 'bce-dataset',
    title: 'Binary cross-entropy over a dataset',
    description: "Summed over the rows of X: the gradient is X'(sigma(Xw) - y).",
    source: `${DATA}
loss(w) = -sum(y .* log(sigmoid(X*w)) + (1 - y) .* log(1 - sigmoid(X*w)))
grad(w) = X' * (sigmoid(X*w) - y)`,
  },
  {
    id: 'bce-mean',
    title: 'Mean binary cross-entropy',
    description: 'Averaged over n samples: the 1/n of the loss appears in the gradient too.',
    source: `${DATA}
n = rows(X)
loss(w) = -(1/n) * sum(y .* log(sigmoid(X*w)) + (1 - y) .* log(1 - sigmoid(X*w)))
grad(w) = (1/n) * X' * (sigmoid(X*w) - y)`,
  },
  {
    id: 'plus-minus-labels',
    title: 'Logistic loss with -1/+1 labels',
    description: "(1/N) sum ln(1 + exp(-y w'x)); its gradient is -(1/N) X'(y .* sigma(-y .* Xw)).",
    source: `X = [0.5, -1.2; 1.0, 0.3; -0.7, 2.1; 0.2, 0.4]
y = [1; -1; 1; -1]
w = [0.3; -0.1]
N = rows(X)
loss(w) = (1/N) * sum(log(1 + exp(-y .* (X*w))))
grad(w) = -(1/N) * X' * (y .* sigmoid(-y .* (X*w)))`,
  },
  {
    id: 'softmax-ce',
    title: 'Softmax cross-entropy, W is K×d',
    description: "For one sample x of class c: dL/dW = (softmax(Wx) - onehot(c)) x'.",
    source: `x = [0.5; -1.0; 2.0]
c = 3
K = 4
W = [0.1, -0.2, 0.0; 0.3, 0.1, -0.1; -0.2, 0.2, 0.1; 0.0, -0.1, 0.2]
loss(W) = logsumexp(W*x) - onehot(c, K)' * W * x
grad(W) = (softmax(W*x) - onehot(c, K)) * x'`,
  },
  {
    id: 'l2',
    title: 'Binary cross-entropy with an L2 term',
    description: 'lambda ||w||^2 contributes 2 lambda w.',
    source: `${DATA}
lambda = 0.1
loss(w) = -sum(y .* log(sigmoid(X*w)) + (1 - y) .* log(1 - sigmoid(X*w))) + lambda * w'*w
grad(w) = X' * (sigmoid(X*w) - y) + 2 * lambda * w`,
  },
  {
    id: 'l1',
    title: 'Binary cross-entropy with an L1 term',
    description: 'lambda ||w||_1 contributes lambda sign(w) away from w_j = 0 (a kink there).',
    source: `${DATA}
lambda = 0.1
loss(w) = -sum(y .* log(sigmoid(X*w)) + (1 - y) .* log(1 - sigmoid(X*w))) + lambda * sum(abs(w))
grad(w) = X' * (sigmoid(X*w) - y) + lambda * sign(w)`,
  },
  {
    id: 'bias',
    title: 'The bias gradient',
    description: 'With an unpenalized intercept b: dL/db = sum(sigma(Xw + b) - y).',
    source: `${DATA}
b = 0.05
loss(w, b) = -sum(y .* log(sigmoid(X*w + b)) + (1 - y) .* log(1 - sigmoid(X*w + b)))
grad_w(w, b) = X' * (sigmoid(X*w + b) - y)
grad_b(w, b) = sum(sigmoid(X*w + b) - y)`,
  },
  {
    id: 'sigmoid-derivative',
    title: 'The sigmoid derivative',
    description: "sigma'(z) = sigma(z)(1 - sigma(z)), element-wise.",
    source: `z = [-2.0; 0.0; 0.5; 3.0]
loss(z) = sum(sigmoid(z))
grad(z) = sigmoid(z) .* (1 - sigmoid(z))`,
  },
  {
    id: 'irls-hessian',
    title: 'The IRLS Hessian',
    description: "X' diag(p(1 - p)) X, checked against differences of the gradient.",
    source: `${DATA}
loss(w) = -sum(y .* log(sigmoid(X*w)) + (1 - y) .* log(1 - sigmoid(X*w)))
grad(w) = X' * (sigmoid(X*w) - y)
hess(w) = X' * diag(sigmoid(X*w) .* (1 - sigmoid(X*w))) * X`,
  },
  {
    id: 'softmax-identities',
    title: 'Softmax identities',
    description: 'Shift invariance, and K = 2 softmax equals the sigmoid of the score difference.',
    source: `v = [1.0; -2.0; 0.5]
a = 0.3
b = -1.2
check softmax(v) == softmax(v - 3)
check softmax([a; b])[1] == sigmoid(a - b)`,
  },
];
