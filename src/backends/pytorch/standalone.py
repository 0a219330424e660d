# The standalone search: what `python program.py search` runs, alone or under `torchrun`
# (docs/engines.md). Its batches, seeds and learning rates are dartsc's own (the seeded
# mulberry32 stream of src/util/random.ts, one per epoch), so it searches exactly what
# `dartsc run --engine pytorch` does. Rank 0 writes metrics.jsonl, alphas.json and a state
# file per epoch, in the formats dartsc reads (`dartsc derive SPEC --alphas OUT/alphas.json`).
MASK = 0xFFFFFFFF


def imul(a, b):
    return (a * b) & MASK


class Mulberry:
    """dartsc's PRNG (mulberry32), bit for bit."""

    def __init__(self, seed):
        self.state = int(seed) & MASK

    def next(self):
        self.state = (self.state + 0x6D2B79F5) & MASK
        t = self.state
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & MASK
        return ((t ^ (t >> 14)) & MASK) / 4294967296

    def int(self, n):
        return int(math.floor(self.next() * n))

    def permutation(self, n):
        out = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.int(i + 1)
            out[i], out[j] = out[j], out[i]
        return out

    def fork(self):
        return int(math.floor(self.next() * 2**31))


def epoch_steps(seed, batch, max_steps, epoch, train, valid):
    """The steps of an epoch as dartsc draws them: train batches in a shuffled order, a random valid batch each."""
    rng = Mulberry(seed * 1000003 + epoch)
    order = [train[i] for i in rng.permutation(len(train))]
    steps = -(-len(order) // batch)
    if max_steps:
        steps = min(steps, max_steps)
    count = min(batch, len(valid))
    for step in range(steps):
        t = order[step * batch : (step + 1) * batch]
        v = [valid[i] for i in rng.permutation(len(valid))[:count]]
        yield {"cmd": "step", "train": t, "valid": v, "seed": rng.fork(), "weightSeed": rng.fork()}, steps


def write_alphas(state, path):
    tables = {}
    for i, t in enumerate(TABLES):
        tables[t["name"]] = dict(t["named"], alpha=state.A[i].detach().cpu().tolist())
    write_atomic(path, (json.dumps(tables, indent=2) + "\n").encode())


def standalone(args):
    engine = Engine(args["data"], args["device"])
    threads(engine.group.size)
    rank0 = engine.group.rank == 0
    with open(os.path.join(args["data"], "splits.json")) as f:
        splits = json.load(f)
    out = args["out"]
    os.makedirs(os.path.join(out, "state"), exist_ok=True)
    engine.state.load(args.get("init") or os.path.join(args["data"], "init"))
    epochs = int(args.get("epochs") or CONFIG["epochs"])
    max_steps = int(args.get("steps") or CONFIG.get("maxSteps") or 0)
    for epoch in range(int(args.get("start") or 0), epochs):
        started, lr = time.time(), learning_rate(CONFIG["weights"]["lr"], epoch, epochs)
        loss = correct = seen = 0
        for cmd, steps in epoch_steps(CONFIG["seed"], CONFIG["batch"], max_steps, epoch, splits["train"], splits["valid"]):
            r = engine.step(dict(cmd, lr=lr))
            loss, correct, seen = loss + r["loss"] * len(cmd["train"]), correct + r["correct"], seen + len(cmd["train"])
        valid = engine.evaluate({"indices": splits["valid"], "batch": CONFIG["batch"]})
        n = len(splits["valid"])
        line = {
            "epoch": epoch,
            "lr": lr,
            "train": metrics(loss, correct, seen, engine.regression),
            "valid": metrics(valid["loss"], valid["correct"], n, engine.regression),
            "seconds": time.time() - started,
        }
        if rank0:
            with open(os.path.join(out, "metrics.jsonl"), "a") as f:
                f.write(json.dumps(line) + "\n")
            write_alphas(engine.state, os.path.join(out, "alphas.json"))
            engine.state.save(os.path.join(out, "state", "epoch-%03d" % epoch), {"epoch": epoch})
            sys.stderr.write("epoch %d/%d  train loss %.4f  valid loss %.4f  %.1f s\n" % (epoch + 1, epochs, line["train"]["loss"], line["valid"]["loss"], line["seconds"]))


def metrics(loss, hits, n, regression):
    n = max(1, n)
    return {"loss": loss / n, "accuracy": None if regression else hits / n}


def main(argv):
    """`program.py serve|search|predict [--key value]...`"""
    mode, args = argv[0] if argv else "search", {"device": "cpu", "data": "data", "out": "out"}
    rest = argv[1:]
    for i in range(0, len(rest) - 1, 2):
        args[rest[i].lstrip("-")] = rest[i + 1]
    if mode == "serve":
        serve(args)
    elif mode == "search":
        standalone(args)
    elif mode == "predict":
        engine = Engine(args["data"], args["device"])
        engine.state.load(args["state"])
        engine.predict({"input": args["input"], "output": args["output"]})
    else:
        raise SystemExit("usage: program.py serve|search|predict [--data DIR] [--out DIR] [--device cpu|cuda]")


if __name__ == "__main__":
    main(sys.argv[1:])
