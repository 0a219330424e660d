"""The PyTorch side of `npm run bench`: the same networks and steps as dartsc, timed.

The DARTS search network of quark0/darts (cnn/model_search.py, operations.py, architect.py),
in 2-D and in CANDLE's 1-D transcription, float32 on every core. The bench (bench/torch.ts)
starts this script once per case with `/usr/bin/python3` and sends it commands, one JSON
object a line on stdin; every answer is one JSON object a line on stdout:

    {"cmd": "cell", "dims": 2, "input": [1, 28, 28], "C": 8, "layers": 3, "reduce": [1, 2],
     "nodes": 2, "stem": 3, "classes": 10, "batch": 32, "order": "first"}
                                 -> {"params": 77474}     builds a search network
    {"cmd": "op", "dims": 2, "op": "sep_conv_3x3", "C": 16, "size": [14, 14], "batch": 32,
     "stride": 1}                -> {"params": 544}       builds one candidate op alone
    {"cmd": "steps", "n": 3}     -> {"ms": [...], "cpuMs": t}   n search steps (α step, weight step)
    {"cmd": "eval", "n": 3}      -> {"ms": [...], "cpuMs": t}   n evaluation batches (eval mode)
    {"cmd": "fwdbwd", "n": 3}    -> {"ms": [...], "cpuMs": t}   n forward + backward passes of the op
    {"cmd": "mem"}               -> {"maxrss": bytes, "baseline": bytes}

`cpuMs` is the CPU time of all threads over the n calls (cores busy = cpuMs / sum of ms).
`baseline` is the peak RSS after importing torch, before anything was built.
"""
import json
import os
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import stateless

torch.set_num_threads(os.cpu_count() or 1)


def peak_rss():
    """This process's peak RSS in bytes: VmHWM, which exec resets (ru_maxrss keeps the
    peak of the process that forked us, node, on Linux)."""
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


BASELINE = peak_rss()


def layers_of(dims):
    if dims == 2:
        return nn.Conv2d, nn.BatchNorm2d, nn.MaxPool2d, nn.AvgPool2d
    return nn.Conv1d, nn.BatchNorm1d, nn.MaxPool1d, nn.AvgPool1d


class Zero(nn.Module):
    def __init__(self, stride, dims):
        super().__init__()
        self.stride, self.dims = stride, dims

    def forward(self, x):
        if self.stride == 1:
            return x.mul(0.0)
        s = self.stride
        return (x[:, :, ::s, ::s] if self.dims == 2 else x[:, :, ::s]).mul(0.0)


class FactorizedReduce(nn.Module):
    def __init__(self, c_in, c_out, dims, affine=False):
        super().__init__()
        conv, bn, _, _ = layers_of(dims)
        self.dims = dims
        self.relu = nn.ReLU(inplace=False)
        self.conv_1 = conv(c_in, c_out // 2, 1, stride=2, padding=0, bias=False)
        self.conv_2 = conv(c_in, c_out // 2, 1, stride=2, padding=0, bias=False)
        self.bn = bn(c_out, affine=affine)

    def forward(self, x):
        x = self.relu(x)
        shifted = x[:, :, 1:, 1:] if self.dims == 2 else x[:, :, 1:]
        return self.bn(torch.cat([self.conv_1(x), self.conv_2(shifted)], dim=1))


def relu_conv_bn(c_in, c_out, dims, affine=False):
    conv, bn, _, _ = layers_of(dims)
    return nn.Sequential(nn.ReLU(inplace=False), conv(c_in, c_out, 1, bias=False), bn(c_out, affine=affine))


def dil_conv(c, k, stride, padding, dilation, dims):
    conv, bn, _, _ = layers_of(dims)
    return [
        nn.ReLU(inplace=False),
        conv(c, c, k, stride=stride, padding=padding, dilation=dilation, groups=c, bias=False),
        conv(c, c, 1, padding=0, bias=False),
        bn(c, affine=False),
    ]


def candidate(name, c, stride, dims):
    """One DARTS candidate as in a search cell (pools followed by a non-affine batch norm)."""
    _, bn, max_pool, avg_pool = layers_of(dims)
    if name == 'none':
        return Zero(stride, dims)
    if name.startswith('max_pool'):
        return nn.Sequential(max_pool(3, stride=stride, padding=1), bn(c, affine=False))
    if name.startswith('avg_pool'):
        return nn.Sequential(avg_pool(3, stride=stride, padding=1, count_include_pad=False), bn(c, affine=False))
    if name == 'skip_connect':
        return nn.Identity() if stride == 1 else FactorizedReduce(c, c, dims)
    k = int(name.split('_')[-1][0])
    if name.startswith('sep_conv'):
        p = (k - 1) // 2
        return nn.Sequential(*dil_conv(c, k, stride, p, 1, dims), *dil_conv(c, k, 1, p, 1, dims))
    if name.startswith('dil_conv'):
        return nn.Sequential(*dil_conv(c, k, stride, k - 1, 2, dims))
    raise ValueError(name)


OPS = {
    2: ['none', 'max_pool_3x3', 'avg_pool_3x3', 'skip_connect', 'sep_conv_3x3', 'sep_conv_5x5', 'dil_conv_3x3', 'dil_conv_5x5'],
    1: ['none', 'max_pool_3', 'avg_pool_3', 'skip_connect', 'sep_conv_3', 'sep_conv_5', 'dil_conv_3', 'dil_conv_5'],
}


class MixedOp(nn.Module):
    def __init__(self, c, stride, dims):
        super().__init__()
        self._ops = nn.ModuleList([candidate(name, c, stride, dims) for name in OPS[dims]])

    def forward(self, x, weights):
        return sum(w * op(x) for w, op in zip(weights, self._ops))


class Cell(nn.Module):
    def __init__(self, steps, c_pp, c_p, c, reduction, reduction_prev, dims):
        super().__init__()
        self.reduction = reduction
        self.pre0 = FactorizedReduce(c_pp, c, dims) if reduction_prev else relu_conv_bn(c_pp, c, dims)
        self.pre1 = relu_conv_bn(c_p, c, dims)
        self.steps = steps
        self._ops = nn.ModuleList()
        for i in range(steps):
            for j in range(2 + i):
                self._ops.append(MixedOp(c, 2 if reduction and j < 2 else 1, dims))

    def forward(self, s0, s1, weights):
        states, offset = [self.pre0(s0), self.pre1(s1)], 0
        for _ in range(self.steps):
            s = sum(self._ops[offset + j](h, weights[offset + j]) for j, h in enumerate(states))
            offset += len(states)
            states.append(s)
        return torch.cat(states[-self.steps:], dim=1)


class Network(nn.Module):
    """model_search.Network with the stem `conv(stem * C, 3, padding 1) -> affine BN`."""

    def __init__(self, spec):
        super().__init__()
        dims, c, steps = spec['dims'], spec['C'], spec['nodes']
        conv, bn, _, _ = layers_of(dims)
        c_curr = spec['stem'] * c
        self.stem = nn.Sequential(conv(spec['input'][0], c_curr, 3, padding=1, bias=False), bn(c_curr))
        c_pp, c_p, c_curr = c_curr, c_curr, c
        self.cells = nn.ModuleList()
        reduction_prev = False
        for i in range(spec['layers']):
            reduction = i in spec['reduce']
            if reduction:
                c_curr *= 2
            self.cells.append(Cell(steps, c_pp, c_p, c_curr, reduction, reduction_prev, dims))
            reduction_prev = reduction
            c_pp, c_p = c_p, steps * c_curr
        self.classifier = nn.Linear(c_p, spec['classes'])
        edges = sum(2 + i for i in range(steps))
        self.alphas = [(1e-3 * torch.randn(edges, len(OPS[dims]))).requires_grad_() for _ in range(2)]

    def forward(self, x):
        s0 = s1 = self.stem(x)
        for cell in self.cells:
            a = self.alphas[1] if cell.reduction else self.alphas[0]
            s0, s1 = s1, cell(s0, s1, F.softmax(a, dim=-1))
        return self.classifier(s1.mean(dim=tuple(range(2, s1.dim()))))


class Search:
    """The DARTS search step (train_search.py, architect.py): α step, then weight step."""

    def __init__(self, spec):
        torch.manual_seed(1)
        self.model = Network(spec)
        self.order = spec['order']
        self.lr, self.momentum, self.decay = 0.025, 0.9, 3e-4
        self.sgd = torch.optim.SGD(self.model.parameters(), self.lr, momentum=self.momentum, weight_decay=self.decay)
        self.adam = torch.optim.Adam(self.model.alphas, lr=3e-4, betas=(0.5, 0.999), weight_decay=1e-3)
        shape = [spec['batch'], *spec['input']]
        self.train = (torch.randn(shape), torch.randint(0, spec['classes'], (spec['batch'],)))
        self.valid = (torch.randn(shape), torch.randint(0, spec['classes'], (spec['batch'],)))

    def loss(self, batch, params=None):
        x, y = batch
        logits = self.model(x) if params is None else stateless.functional_call(self.model, params, (x,))
        return F.cross_entropy(logits, y)

    def step(self):
        self.adam.zero_grad()
        if self.order == 'first':
            self.loss(self.valid).backward()
        else:
            self.unrolled_alpha_grad()
        self.adam.step()
        self.sgd.zero_grad()
        loss = self.loss(self.train)
        loss.backward()
        nn.utils.clip_grad_norm_(self.model.parameters(), 5)
        self.sgd.step()
        return loss.item()

    def unrolled_alpha_grad(self):
        """architect._backward_step_unrolled, with w' applied functionally (no model copy)."""
        names, params = zip(*self.model.named_parameters())
        grads = torch.autograd.grad(self.loss(self.train), params)
        unrolled = {}
        for n, p, g in zip(names, params, grads):
            moment = self.sgd.state[p].get('momentum_buffer') if p in self.sgd.state else None
            moment = torch.zeros_like(p) if moment is None else moment * self.momentum
            unrolled[n] = (p.detach() - self.lr * (moment + g + self.decay * p.detach())).requires_grad_()
        loss = self.loss(self.valid, unrolled)
        dalpha = torch.autograd.grad(loss, self.model.alphas, retain_graph=True)
        vector = torch.autograd.grad(loss, list(unrolled.values()))
        implicit = self.hessian_vector_product(params, vector)
        for a, g, ig in zip(self.model.alphas, dalpha, implicit):
            a.grad = g - self.lr * ig

    def hessian_vector_product(self, params, vector, r=1e-2):
        R = r / torch.cat([v.reshape(-1) for v in vector]).norm()
        with torch.no_grad():
            for p, v in zip(params, vector):
                p.add_(v, alpha=R)
        grads_p = torch.autograd.grad(self.loss(self.train), self.model.alphas)
        with torch.no_grad():
            for p, v in zip(params, vector):
                p.sub_(v, alpha=2 * R)
        grads_n = torch.autograd.grad(self.loss(self.train), self.model.alphas)
        with torch.no_grad():
            for p, v in zip(params, vector):
                p.add_(v, alpha=R)
        return [(x - y) / (2 * R) for x, y in zip(grads_p, grads_n)]

    def evaluate(self):
        self.model.eval()
        with torch.no_grad():
            loss = self.loss(self.valid).item()
        self.model.train()
        return loss


class OpAlone:
    """One candidate at stride `stride`: forward, then the backward of sum(out * probe)."""

    def __init__(self, spec):
        torch.manual_seed(1)
        dims, c = spec['dims'], spec['C']
        self.op = candidate(spec['op'], c, spec['stride'], dims)
        self.x = torch.randn([spec['batch'], c, *spec['size']]).requires_grad_()
        with torch.no_grad():
            out = self.op(self.x)
        self.probe = torch.randn(out.shape)

    def step(self):
        self.x.grad = None
        self.op.zero_grad()
        (self.op(self.x) * self.probe).sum().backward()


def timed(f, n):
    """Milliseconds of each of n calls, and the CPU milliseconds of all threads over them."""
    ms = []
    cpu = time.process_time()
    for _ in range(n):
        start = time.perf_counter()
        f()
        ms.append((time.perf_counter() - start) * 1000)
    return {'ms': ms, 'cpuMs': (time.process_time() - cpu) * 1000}


def main():
    target = None
    for line in sys.stdin:
        cmd = json.loads(line)
        kind = cmd['cmd']
        if kind == 'cell':
            target = Search(cmd)
            answer = {'params': sum(p.numel() for p in target.model.parameters())}
        elif kind == 'op':
            target = OpAlone(cmd)
            answer = {'params': sum(p.numel() for p in target.op.parameters())}
        elif kind in ('steps', 'fwdbwd'):
            answer = timed(target.step, cmd['n'])
        elif kind == 'eval':
            answer = timed(target.evaluate, cmd['n'])
        elif kind == 'mem':
            answer = {'maxrss': peak_rss(), 'baseline': BASELINE}
        else:
            answer = {'error': f'unknown command {kind}'}
        print(json.dumps(answer), flush=True)


if __name__ == '__main__':
    main()
