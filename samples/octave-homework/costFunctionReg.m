function [J, grad] = costFunctionReg(theta, X, y, lambda)
%COSTFUNCTIONREG Compute cost and gradient for logistic regression with regularization
m = length(y); % number of training examples
h = sigmoid(X * theta);
theta_reg = [0; theta(2:end)];
J = (1/m) * (-y' * log(h) - (1 - y)' * log(1 - h)) + (lambda / (2*m)) * sum(theta_reg .^ 2);
grad = (1/m) * X' * (h - y) + (lambda / m) * theta_reg;
end
