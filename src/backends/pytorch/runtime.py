# The network-independent part of every PyTorch program dartsc generates (docs/engines.md):
# the op helpers the generated forward calls, the DARTS optimisers and bilevel step
# (darts-semantics §6), data-parallel reduction over torch.distributed, the state files dartsc
# reads back, the protocol `dartsc run --engine pytorch` drives the program with, and the
# standalone loop `torchrun` starts. It uses nothing newer than PyTorch 1.13.
import json
import math
import os
import signal
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
import torch.distributed as dist

BN_EPS = 1e-5
BN_MOMENTUM = 0.1


# --- ops: NCHW; a sequence [L, C] runs as [B, C, 1, L], a vector is [B, C] ---------------


def pool_fits(k, p):
    """Whether PyTorch's pools take this padding (at most half the window)."""
    return 2 * p[0] <= k[0] and 2 * p[1] <= k[1]


def pad2(x, p, value=0.0):
    return F.pad(x, (p[1], p[1], p[0], p[0]), value=value)


def max_pool(x, k, s, p):
    # Padding never wins the maximum, as with PyTorch's own padding.
    if pool_fits(k, p):
        return F.max_pool2d(x, k, s, p)
    return F.max_pool2d(pad2(x, p, -math.inf), k, s)


def avg_pool(x, k, s, p, count_include_pad):
    if pool_fits(k, p):
        return F.avg_pool2d(x, k, s, p, False, count_include_pad)
    total = F.avg_pool2d(pad2(x, p), k, s)
    if count_include_pad:
        return total
    return total / F.avg_pool2d(pad2(torch.ones_like(x[:1, :1]), p), k, s)


def batch_norm(x, ctx, mean, var, gamma=None, beta=None):
    """Batch statistics in training (running ones updated only when ctx.update_stats)."""
    if not ctx.training:
        return F.batch_norm(x, mean, var, gamma, beta, False, 0.0, BN_EPS)
    if ctx.update_stats:
        return F.batch_norm(x, mean, var, gamma, beta, True, BN_MOMENTUM, BN_EPS)
    return F.batch_norm(x, None, None, gamma, beta, True, BN_MOMENTUM, BN_EPS)


def factorized_paths(x, path1, path2, seq):
    """ReLU, two stride-2 1x1 convs (the second on the input shifted by one), concat."""
    y = F.relu(x)
    stride = (1, 2) if seq else (2, 2)
    shifted = y[:, :, :, 1:] if seq else y[:, :, 1:, 1:]
    a = F.conv2d(y, path1[:, :, None, None], None, stride)
    b = F.conv2d(shifted, path2[:, :, None, None], None, stride)
    return torch.cat([a, b], 1)


def channel_shuffle(x, groups):
    b, c = x.shape[0], x.shape[1]
    rest = list(x.shape[2:])
    return x.view(b, groups, c // groups, *rest).transpose(1, 2).reshape(b, c, *rest)


def flatten_last(x):
    """Flattens channels last, as dartsc's layout does."""
    return x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)


def drop_path(x, ctx):
    keep = 1.0 - ctx.drop_rate
    shape = (x.shape[0],) + (1,) * (x.dim() - 1)
    u = torch.rand(shape, generator=ctx.generator, device="cpu").to(x.device)
    return x * (torch.floor(u + keep) / keep)


def dropout(x, rate, ctx):
    if not ctx.training or rate == 0:
        return x
    u = torch.rand(x.shape, generator=ctx.generator, device="cpu").to(x.device)
    return x * (u >= rate).to(x.dtype) / (1.0 - rate)


class Ctx:
    def __init__(self, training, update_stats=False, drop_rate=0.0, seed=0):
        self.training = training
        self.update_stats = update_stats
        self.drop_rate = drop_rate
        self.generator = torch.Generator().manual_seed(int(seed))


# --- the state: weights, running statistics and α, in PyTorch's layouts ------------------


def inverse(perm):
    return [perm.index(i) for i in range(len(perm))]


class State:
    """Weights P, running statistics S, α A, the SGD buffers and Adam's moments."""

    def __init__(self, device):
        self.device = device
        self.P = [torch.zeros(torch_shape(s, perm), device=device) for _, s, perm in WEIGHTS]
        self.S = [torch.zeros(torch_shape(s, perm), device=device) for _, s, perm in STATES]
        self.A = [torch.zeros((t["rows"], len(t["columns"])), device=device) for t in TABLES]
        self.sgd = None
        self.adam_m = None
        self.adam_v = None
        self.adam_t = 0

    def entries(self):
        """(file name, tensor, permutation) of everything a state file holds."""
        out = [("w:" + n, self.P[i], perm) for i, (n, _, perm) in enumerate(WEIGHTS)]
        out += [("s:" + n, self.S[i], perm) for i, (n, _, perm) in enumerate(STATES)]
        out += [("alpha:" + t["name"], self.A[i], None) for i, t in enumerate(TABLES)]
        if self.sgd is not None:
            out += [("sgd:" + n, self.sgd[i], perm) for i, (n, _, perm) in enumerate(WEIGHTS)]
        if self.adam_m is not None:
            out += [("adam.m:%d" % i, m, None) for i, m in enumerate(self.adam_m)]
            out += [("adam.v:%d" % i, v, None) for i, v in enumerate(self.adam_v)]
        return out

    def load(self, stem):
        """Reads a state file dartsc wrote (dartsc's layouts, float32)."""
        with open(stem + ".json") as f:
            index = json.load(f)
        raw = np.fromfile(stem + ".bin", dtype="<f4")
        arrays = {}
        for t in index["tensors"]:
            n = int(np.prod(t["shape"])) if t["shape"] else 1
            arrays[t["name"]] = raw[t["offset"] : t["offset"] + n].reshape(t["shape"])
        if WEIGHTS and "sgd:" + WEIGHTS[0][0] in arrays:
            self.sgd = [torch.zeros_like(p) for p in self.P]
        if "adam.m:0" in arrays:
            self.adam_m = [torch.zeros_like(a) for a in self.A]
            self.adam_v = [torch.zeros_like(a) for a in self.A]
        for name, tensor, perm in self.entries():
            a = arrays[name]
            a = np.transpose(a, perm) if perm else a
            tensor.copy_(torch.from_numpy(np.ascontiguousarray(a)))
        self.adam_t = int(index.get("adamSteps", 0))

    def save(self, stem, extra=None):
        """Writes the state in dartsc's layouts: the data first, then the index naming it."""
        tensors, chunks, offset = [], [], 0
        for name, tensor, perm in self.entries():
            a = tensor.detach().cpu().numpy()
            a = np.transpose(a, inverse(perm)) if perm else a
            chunks.append(np.ascontiguousarray(a, dtype="<f4").reshape(-1))
            tensors.append({"name": name, "shape": list(a.shape), "offset": offset})
            offset += a.size
        write_atomic(stem + ".bin", np.concatenate(chunks).tobytes() if chunks else b"")
        index = {"tensors": tensors, "adamSteps": self.adam_t, **(extra or {})}
        write_atomic(stem + ".json", json.dumps(index).encode())


def torch_shape(shape, perm):
    return [shape[i] for i in perm] if perm else list(shape)


def write_atomic(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


# --- data ---------------------------------------------------------------------------------


class Data:
    """The samples dartsc's loaders wrote once: x in dartsc's layout, y classes or targets."""

    def __init__(self, folder, device):
        x = np.load(os.path.join(folder, "x.npy"))
        y = np.load(os.path.join(folder, "y.npy"))
        if INPUT_LAYOUT == "Img":
            x = x.transpose(0, 3, 1, 2)
        elif INPUT_LAYOUT == "Seq":
            x = x.transpose(0, 2, 1)[:, :, None, :]
        self.x = torch.from_numpy(np.ascontiguousarray(x))
        if INPUT_LAYOUT == "Tokens":
            self.x = self.x.long()
        self.regression = TASK == "regression"
        self.y = torch.from_numpy(y).float() if self.regression else torch.from_numpy(y).long()
        self.device = device

    def batch(self, idx):
        i = torch.as_tensor(idx, dtype=torch.long)
        return self.x[i].to(self.device), self.y[i].to(self.device)


def loss_of(out, y, regression):
    if regression:
        return F.mse_loss(out.reshape(-1), y)
    return F.cross_entropy(out, y)


def hits_of(out, y, regression):
    return 0 if regression else int((out.argmax(-1) == y).sum())


# --- data parallel --------------------------------------------------------------------------


class Group:
    """This process's rank among `size` (torch.distributed when more than one)."""

    def __init__(self, device):
        self.device = device
        self.size = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        if self.size > 1:
            backend = "nccl" if device.type == "cuda" else "gloo"
            dist.init_process_group(backend, init_method="env://")

    def share(self, idx):
        """This rank's contiguous share and its weight; an empty share is one sample weighing 0."""
        n, r = len(idx), self.rank
        base, extra = divmod(n, self.size)
        start = r * base + min(r, extra)
        part = idx[start : start + base + (1 if r < extra else 0)]
        return (part, len(part) / n) if part else (idx[:1], 0.0)

    def weighted_sum(self, tensors, weight):
        """Σ over ranks of weight · tensor (the gradients of the global batch's mean loss)."""
        if self.size == 1:
            return tensors
        out = [t * weight for t in tensors]
        for t in out:
            dist.all_reduce(t)
        return out

    def sum(self, values):
        if self.size == 1:
            return values
        # On the device: nccl reduces GPU tensors only.
        t = torch.tensor(values, dtype=torch.float64, device=self.device)
        dist.all_reduce(t)
        return t.cpu().tolist()


# --- optimisers (darts-semantics §6.3, §6.4) -------------------------------------------------


def grads_or_zeros(loss, params, retain=False):
    found = torch.autograd.grad(loss, params, allow_unused=True, retain_graph=retain)
    return [torch.zeros_like(p) if g is None else g for p, g in zip(params, found)]


def global_norm(tensors):
    """‖·‖₂ over all tensors together, in float64, read back once (one sync on a GPU)."""
    if not tensors:
        return 0.0
    return float(torch.stack([t.double().square().sum() for t in tensors]).sum().sqrt())


def sgd_step(state, grads, lr, opt):
    """Clip by global norm, add decay·w, buf ← μ·buf + d, w ← w − lr·buf."""
    scale = opt["clip"] / (global_norm(grads) + 1e-6)
    scale = scale if scale < 1 else 1.0
    with torch.no_grad():
        d = [g * scale + w * opt["decay"] for g, w in zip(grads, state.P)]
        if state.sgd is None:
            state.sgd = d
        else:
            state.sgd = [b * opt["momentum"] + di for b, di in zip(state.sgd, d)]
        for w, b in zip(state.P, state.sgd):
            w.sub_(b * lr)


def adam_step(state, grads, opt):
    """Adam with coupled L2, bias correction, eps 1e-8."""
    b1, b2 = opt["betas"]
    state.adam_t += 1
    c1, c2 = 1 - b1**state.adam_t, 1 - b2**state.adam_t
    with torch.no_grad():
        g = [gi + a * opt["decay"] for gi, a in zip(grads, state.A)]
        if state.adam_m is None:
            state.adam_m = [gi * (1 - b1) for gi in g]
            state.adam_v = [gi.square() * (1 - b2) for gi in g]
        else:
            state.adam_m = [m * b1 + gi * (1 - b1) for m, gi in zip(state.adam_m, g)]
            state.adam_v = [v * b2 + gi.square() * (1 - b2) for v, gi in zip(state.adam_v, g)]
        for a, m, v in zip(state.A, state.adam_m, state.adam_v):
            denom = v.sqrt() / math.sqrt(c2) + opt["eps"]
            a.sub_(m / denom * (opt["lr"] / c1))


def learning_rate(schedule, epoch, epochs):
    """Cosine with the reference's convention: epoch e uses t = e + 1."""
    if schedule["kind"] == "constant":
        return schedule["value"]
    T = schedule.get("epochs") or epochs
    lo, hi = schedule["min"], schedule["max"]
    return lo + 0.5 * (hi - lo) * (1 + math.cos(math.pi * (epoch + 1) / T))


# --- the search and retrain steps (darts-semantics §6.2, §8.4) ------------------------------


class Engine:
    """The state, the data and this process's rank: what every command works on."""

    def __init__(self, data_dir, device):
        self.device = torch.device(device)
        if self.device.type == "cuda":
            # One GPU per process on each machine, as torchrun numbers them.
            self.device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
            torch.cuda.set_device(self.device)
        self.group = Group(self.device)
        self.data = Data(data_dir, self.device)
        self.state = State(self.device)
        self.regression = self.data.regression

    def loss(self, batch, P, A, ctx):
        out, _ = forward(P, self.state.S, A, batch[0], ctx)
        return loss_of(out, batch[1], self.regression)

    def alpha_gradient(self, train, valid, xi, weights, seed):
        """∇α L_val (first order), or the unrolled gradient dα − ξ·H·v (second order)."""
        st, (wt, wv) = self.state, weights
        A = [a.detach().requires_grad_() for a in st.A]
        if CONFIG["order"] == "first":
            return self.group.weighted_sum(grads_or_zeros(self.loss(valid, st.P, A, Ctx(True, seed=seed + 1)), A), wv)
        P = [p.detach().requires_grad_() for p in st.P]
        g = self.group.weighted_sum(grads_or_zeros(self.loss(train, P, st.A, Ctx(True, seed=seed)), P), wt)
        opt = CONFIG["weights"]
        with torch.no_grad():
            moment = st.sgd if st.sgd is not None else [torch.zeros_like(w) for w in st.P]
            V = [w - xi * (b * opt["momentum"] + gi + w * opt["decay"]) for w, b, gi in zip(st.P, moment, g)]
        V = [v.requires_grad_() for v in V]
        both = self.group.weighted_sum(grads_or_zeros(self.loss(valid, V, A, Ctx(True, seed=seed + 1)), V + A), wv)
        v, d_alpha = both[: len(V)], both[len(V) :]
        hv = self.hvp(train, v, seed, wt)
        return [d - h * xi for d, h in zip(d_alpha, hv)]

    def hvp(self, train, v, seed, wt):
        """[∇α L_train(w + εv) − ∇α L_train(w − εv)] / (2ε), ε = 0.01/‖v‖, at w (not w′)."""
        norm = global_norm(v)
        if norm == 0:
            return [torch.zeros_like(a) for a in self.state.A]
        eps = 0.01 / norm

        def at(sign):
            with torch.no_grad():
                W = [w + vi * (sign * eps) for w, vi in zip(self.state.P, v)]
            A = [a.detach().requires_grad_() for a in self.state.A]
            return self.group.weighted_sum(grads_or_zeros(self.loss(train, W, A, Ctx(True, seed=seed)), A), wt)

        plus, minus = at(1), at(-1)
        return [(p - m) / (2 * eps) for p, m in zip(plus, minus)]

    def weight_step(self, batch, weight, lr, ctx, opt, aux_weight=0.0):
        """Gradient of the batch loss on the weights, reduced over ranks, then one SGD step."""
        st = self.state
        P = [p.detach().requires_grad_() for p in st.P]
        out, aux = forward(P, st.S, st.A, batch[0], ctx)
        loss = loss_of(out, batch[1], self.regression)
        if aux is not None and aux_weight:
            loss = loss + aux_weight * loss_of(aux, batch[1], self.regression)
        hits = hits_of(out, batch[1], self.regression) if weight > 0 else 0
        sgd_step(st, self.group.weighted_sum(grads_or_zeros(loss, P), weight), lr, opt)
        if self.group.size > 1:
            # Running statistics are linear in the batch statistics: the weighted sum of the
            # ranks' is the update with the shares' statistics averaged.
            for s, r in zip(st.S, self.group.weighted_sum(st.S, weight)):
                s.copy_(r)
        total, correct = self.group.sum([float(loss) * weight, hits])
        return {"loss": total, "correct": int(round(correct))}

    def step(self, cmd):
        """One search step: the α step on the valid batch, then the weight step on the train batch."""
        (ti, wt), (vi, wv) = self.group.share(cmd["train"]), self.group.share(cmd["valid"])
        train, valid = self.data.batch(ti), self.data.batch(vi)
        shift = self.group.rank * 7919
        ga = self.alpha_gradient(train, valid, cmd["lr"], (wt, wv), cmd["seed"] + shift)
        adam_step(self.state, ga, CONFIG["arch"])
        ctx = Ctx(True, True, seed=cmd["weightSeed"] + shift)
        return self.weight_step(train, wt, cmd["lr"], ctx, CONFIG["weights"])

    def train_step(self, cmd):
        """One retrain step, with drop-path and the auxiliary loss."""
        idx, weight = self.group.share(cmd["train"])
        ctx = Ctx(True, True, cmd["dropPath"], cmd["seed"] + self.group.rank * 7919)
        return self.weight_step(self.data.batch(idx), weight, cmd["lr"], ctx, cmd["sgd"], cmd["auxWeight"])

    def evaluate(self, cmd):
        """Summed loss and hits in eval mode; the batches are dealt out over the ranks."""
        idx, size = cmd["indices"], cmd["batch"]
        batches = [idx[i : i + size] for i in range(0, len(idx), size)]
        loss, hits = 0.0, 0
        with torch.no_grad():
            for b in batches[self.group.rank :: self.group.size]:
                x, y = self.data.batch(b)
                out, _ = forward(self.state.P, self.state.S, self.state.A, x, Ctx(False))
                loss += float(loss_of(out, y, self.regression)) * len(b)
                hits += hits_of(out, y, self.regression)
        loss, hits = self.group.sum([loss, hits])
        return {"loss": loss, "correct": int(round(hits))}

    def predict(self, cmd):
        """Eval-mode logits of the samples in an .npy file (dartsc's layout), written as .npy."""
        x = np.load(cmd["input"]).astype(np.float32)
        if INPUT_LAYOUT == "Img":
            x = x.transpose(0, 3, 1, 2)
        elif INPUT_LAYOUT == "Seq":
            x = x.transpose(0, 2, 1)[:, :, None, :]
        with torch.no_grad():
            t = torch.from_numpy(np.ascontiguousarray(x)).to(self.device)
            out, _ = forward(self.state.P, self.state.S, self.state.A, t, Ctx(False))
        if self.group.rank == 0:
            np.save(cmd["output"], out.cpu().numpy())
        return {}

    def handle(self, cmd):
        kind = cmd["cmd"]
        if kind == "load":
            self.state.load(cmd["path"])
            return {}
        if kind == "save":
            if self.group.rank == 0:
                self.state.save(cmd["path"])
            return {}
        if kind in ("step", "train_step", "evaluate", "predict"):
            return getattr(self, kind)(cmd)
        if kind == "exit":
            return {}
        raise ValueError("unknown command %r" % kind)


def threads(size):
    """The cores shared out between this machine's processes."""
    per = max(1, (os.cpu_count() or 1) // max(1, int(os.environ.get("LOCAL_WORLD_SIZE", size))))
    if "OMP_NUM_THREADS" not in os.environ:
        torch.set_num_threads(per)


def serve(args):
    """Answers dartsc's commands, one JSON line in, one JSON line out (`dartsc run --engine pytorch`)."""
    # Ctrl-C reaches the whole process group: dartsc stops after the step and closes us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    engine = Engine(args["data"], args["device"])
    threads(engine.group.size)
    send({"ready": True, "torch": torch.__version__, "rank": engine.group.rank})
    for line in sys.stdin:
        cmd = json.loads(line)
        try:
            reply = engine.handle(cmd)
        except Exception as error:  # reported to dartsc, which names it and stops
            send({"error": "%s: %s" % (type(error).__name__, error)})
            raise
        send(reply)
        if cmd["cmd"] == "exit":
            break


def finite(value):
    """JSON has no NaN: a non-finite number goes as null (dartsc reads it as NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def send(reply):
    sys.stdout.write(json.dumps({k: finite(v) for k, v in reply.items()}) + "\n")
    sys.stdout.flush()
