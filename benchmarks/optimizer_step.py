"""Time one optimizer step, next to a bare numpy add of the same arrays.

For each optimizer of ``utils.optimizers`` this prints the time of one
``step`` on 10^6 float64 parameters and on 2, and each time as a ratio
to ``np.add(p, g, out=p)`` on the same arrays, measured in the same run.
The ratio says how many bare passes over the data one step costs; on
two parameters it measures Python overhead rather than arithmetic.

When PyTorch is installed (it is not a dependency of the course), the
same update is also timed with ``torch.optim`` on float64 tensors whose
``.grad`` is set. Torch runs on one thread by default, like numpy's
ufuncs, so that both do the same work; ``--torch-threads`` changes it.

Run it with the course's environment:

    python benchmarks/optimizer_step.py
"""

import argparse
import platform
import statistics
import timeit

import numpy as np

from utils import optimizers

try:
    import torch
except ImportError:
    torch = None

SIZES = [10 ** 6, 2]

# (label, our class and keywords, torch's class and keywords)
CASES = [
    ("SGD", ("SGD", dict(lr=0.01)), ("SGD", dict(lr=0.01))),
    ("SGD momentum", ("SGD", dict(lr=0.01, momentum=0.9)),
     ("SGD", dict(lr=0.01, momentum=0.9))),
    ("SGD Nesterov", ("SGD", dict(lr=0.01, momentum=0.9, nesterov=True)),
     ("SGD", dict(lr=0.01, momentum=0.9, nesterov=True))),
    ("AdaGrad", ("AdaGrad", dict()), ("Adagrad", dict())),
    ("RMSProp", ("RMSProp", dict()), ("RMSprop", dict())),
    ("Adam", ("Adam", dict()), ("Adam", dict())),
    ("Adam, L2 decay", ("Adam", dict(weight_decay=1e-2)),
     ("Adam", dict(weight_decay=1e-2))),
    ("AdamW", ("AdamW", dict()), ("AdamW", dict())),
]


def seconds_per_call(function, repeat):
    """Median over ``repeat`` runs of the time of one call, in seconds.

    Each run makes enough calls to last about 0.2 s, as chosen by
    ``timeit.Timer.autorange``.
    """
    timer = timeit.Timer(function)
    number, _ = timer.autorange()
    runs = timer.repeat(repeat=repeat, number=number)
    return statistics.median(runs) / number


def arrays(size, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=size), rng.normal(size=size)


def time_bare_add(size, repeat):
    p, g = arrays(size)
    return seconds_per_call(lambda: np.add(p, g, out=p), repeat)


def time_ours(name, kwargs, size, repeat):
    p, g = arrays(size)
    params, grads = [p], [g]
    optimizer = getattr(optimizers, name)(**kwargs)
    optimizer.step(params, grads)          # allocates the state
    return seconds_per_call(lambda: optimizer.step(params, grads), repeat)


def time_torch(name, kwargs, size, repeat):
    p, g = arrays(size)
    param = torch.tensor(p, dtype=torch.float64, requires_grad=True)
    param.grad = torch.tensor(g, dtype=torch.float64)
    optimizer = getattr(torch.optim, name)([param], **kwargs)
    optimizer.step()                       # allocates the state
    return seconds_per_call(optimizer.step, repeat)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5,
                        help="timed runs per measurement (default 5)")
    parser.add_argument("--torch-threads", type=int, default=1,
                        help="threads for torch (default 1)")
    parser.add_argument("--no-torch", action="store_true",
                        help="skip torch even if it is installed")
    args = parser.parse_args()
    use_torch = torch is not None and not args.no_torch

    versions = f"Python {platform.python_version()}, numpy {np.__version__}"
    if use_torch:
        torch.set_num_threads(args.torch_threads)
        versions += (f", torch {torch.__version__} "
                     f"({args.torch_threads} thread"
                     f"{'s' if args.torch_threads != 1 else ''})")
    elif torch is None:
        versions += ", torch not installed"
    print(versions)
    print(f"median of {args.repeat} runs; float64; ratio = step time / "
          "time of np.add(p, g, out=p)")

    base = {size: time_bare_add(size, args.repeat) for size in SIZES}
    for size in SIZES:
        print(f"bare add on {size:>7} parameters: "
              f"{base[size] * 1e6:9.2f} us")
    print()

    header = f"{'optimizer':<15} {'params':>7} {'step us':>10} {'ratio':>7}"
    if use_torch:
        header += f" {'torch us':>10} {'ratio':>7}"
    print(header)
    print("-" * len(header))
    for label, (ours, ours_kwargs), (theirs, their_kwargs) in CASES:
        for size in SIZES:
            t = time_ours(ours, ours_kwargs, size, args.repeat)
            row = (f"{label:<15} {size:>7} {t * 1e6:10.2f} "
                   f"{t / base[size]:7.1f}")
            if use_torch:
                t = time_torch(theirs, their_kwargs, size, args.repeat)
                row += f" {t * 1e6:10.2f} {t / base[size]:7.1f}"
            print(row)


if __name__ == "__main__":
    main()
