"""Reference DARTS ops and cells in PyTorch (float64), for cross-checking dartsc's kernels.

Written from the reference semantics (quark0/darts cnn/operations.py and model_search.py,
CANDLE's 1-D transcription), independently of dartsc. Usage:

    /usr/bin/python3 bench/reference/darts_reference.py CASES.json

CASES.json holds, per case, the network (one DARTS op or one DARTS cell behind a 1x1
ReLU-conv-BN preprocessor, then global average pooling and a linear head), the input, every
weight and α as dartsc laid them out (channels last), a probe R, and dartsc's logits and
gradients of sum(logits * R). The script rebuilds the same network in PyTorch, copies the
weights in, and prints, per case, the largest relative difference of the logits and of every
gradient.
"""
import json
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
EPS = 1e-5


def bn(x):
    """Batch norm with batch statistics and no affine parameters (search mode)."""
    return F.batch_norm(x, None, None, training=True, eps=EPS)


class Conv:
    """1-D or 2-D convolution helpers over NC(H)W tensors."""

    def __init__(self, dims):
        self.dims = dims

    def conv(self, x, w, stride=1, padding=0, dilation=1, groups=1):
        f = F.conv2d if self.dims == 2 else F.conv1d
        return f(x, w, None, stride, padding, dilation, groups)

    def max_pool(self, x, stride):
        return (F.max_pool2d if self.dims == 2 else F.max_pool1d)(x, 3, stride, 1)

    def avg_pool(self, x, stride):
        f = F.avg_pool2d if self.dims == 2 else F.avg_pool1d
        return f(x, 3, stride, 1, count_include_pad=False)

    def shift(self, x):
        return x[:, :, 1:, 1:] if self.dims == 2 else x[:, :, 1:]


def op(name, x, weights, stride, k):
    """One DARTS candidate; `weights` yields its tensors in dartsc's order."""
    if name == 'none':
        return x[:, :, ::stride, ::stride] * 0 if k.dims == 2 else x[:, :, ::stride] * 0
    if name.startswith('max_pool'):
        return bn(k.max_pool(x, stride))
    if name.startswith('avg_pool'):
        return bn(k.avg_pool(x, stride))
    if name == 'skip_connect':
        if stride == 1:
            return x
        y = F.relu(x)
        a = k.conv(y, next(weights), stride=2)
        b = k.conv(k.shift(y), next(weights), stride=2)
        return bn(torch.cat([a, b], dim=1))
    size = int(name.split('_')[2][0])
    c = x.shape[1]
    if name.startswith('sep_conv'):
        p = (size - 1) // 2
        y = k.conv(F.relu(x), next(weights), stride, p, groups=c)
        y = bn(k.conv(y, next(weights)))
        y = k.conv(F.relu(y), next(weights), 1, p, groups=c)
        return bn(k.conv(y, next(weights)))
    if name.startswith('dil_conv'):
        y = k.conv(F.relu(x), next(weights), stride, size - 1, 2, groups=c)
        return bn(k.conv(y, next(weights)))
    raise ValueError(name)


def preprocess(x, weights, k):
    return bn(k.conv(F.relu(x), next(weights)))


def head(x, weights):
    pooled = x.mean(dim=tuple(range(2, x.dim())))
    w, b = next(weights), next(weights)
    return pooled @ w + b


def network(case, x, weights, alphas, k):
    """The case's network: preprocessor(s), then one op or one cell, then the head."""
    it = iter(weights)
    if case['kind'] == 'op':
        s = preprocess(x, it, k)
        return head(op(case['op'], s, it, case['stride'], k), it)
    s0, s1 = preprocess(x, it, k), preprocess(x, it, k)
    states, row = [s0, s1], 0
    mix = torch.softmax(alphas[0], dim=-1)
    for i in range(case['steps']):
        total = 0
        for j in range(len(states)):
            total = total + sum(w * op(name, states[j], it, 1, k) for w, name in zip(mix[row], case['ops']))
            row += 1
        states.append(total)
    return head(torch.cat(states[2:], dim=1), it)


def to_torch(entry, role, dims):
    """dartsc's channels-last layout to PyTorch's."""
    t = torch.tensor(entry['data'], dtype=torch.float64).reshape(entry['shape'])
    if role == 'input':
        return t.permute(0, 3, 1, 2) if dims == 2 else t.permute(0, 2, 1)
    if role == 'depthwise':  # [kh, kw, C, 1] -> [C, 1, kh, kw] (2-D) or [C, 1, k] (1-D)
        t = t.permute(2, 3, 0, 1)
        return t if dims == 2 else t[:, :, 0, :]
    if role in ('pointwise', 'path'):  # [Cin, Cout] -> [Cout, Cin, 1(, 1)]
        t = t.t()
        return t[:, :, None, None] if dims == 2 else t[:, :, None]
    return t  # dense weight [Cin, Cout] is used as x @ w; biases and α as they are


def from_torch(grad, role, dims):
    """PyTorch's layout back to dartsc's, for comparing gradients."""
    if role == 'input':
        return grad.permute(0, 2, 3, 1) if dims == 2 else grad.permute(0, 2, 1)
    if role == 'depthwise':
        g = grad if dims == 2 else grad[:, :, None, :]
        return g.permute(2, 3, 0, 1)
    if role in ('pointwise', 'path'):
        return grad.reshape(grad.shape[0], grad.shape[1]).t()
    return grad


def relative(a, b):
    scale = max(b.abs().max().item(), 1e-6)
    return (a - b).abs().max().item() / scale


def run(case):
    dims = case['dims']
    k = Conv(dims)
    x = to_torch(case['input'], 'input', dims).requires_grad_()
    weights = [to_torch(w, w['role'], dims).requires_grad_() for w in case['weights']]
    alphas = [torch.tensor(a['data']).reshape(a['shape']).requires_grad_() for a in case['alphas']]
    logits = network(case, x, weights, alphas, k)
    probe = torch.tensor(case['probe']['data']).reshape(case['probe']['shape'])
    (logits * probe).sum().backward()
    ours = lambda e: torch.tensor(e['data'], dtype=torch.float64).reshape(e['shape'])
    errors = {'logits': relative(ours(case['logits']), logits.detach())}
    errors['grad input'] = relative(ours(case['grads']['input']), from_torch(x.grad, 'input', dims))
    for w, t, g in zip(case['weights'], weights, case['grads']['weights']):
        errors['grad ' + w['name']] = relative(ours(g), from_torch(t.grad, w['role'], dims))
    for a, t, g in zip(case['alphas'], alphas, case['grads']['alphas']):
        # A one-column α (a single candidate) has a constant softmax: its gradient is zero.
        expected = t.grad if t.grad is not None else torch.zeros_like(t)
        errors['grad alpha ' + a['name']] = relative(ours(g), expected)
    return errors


if __name__ == '__main__':
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    print(json.dumps({c['name']: run(c) for c in cases}))
