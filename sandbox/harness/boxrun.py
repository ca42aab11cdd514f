"""Start inside a box, optionally warm up PyTorch, then run the learner's program once.

Usage (inside the box): python -I boxrun.py [--warm] [--event-fifo PATH]

The host reads ``{"type": "ready"}`` on the event descriptor, then writes one JSON line on
stdin: the work dir, the entry point, extra environment and resource limits.  This process
then becomes the learner's program (as ``__main__``), so a warm box pays for ``import
torch`` and the first optimizer step before the code even arrives.
"""

from __future__ import annotations

import json
import os
import resource
import runpy
import sys

EVENT_FD = int(os.environ.get("MC_EVENT_FD", "3"))
HERE = os.path.dirname(os.path.abspath(__file__))


def warm_up() -> None:
    """Import torch and run one step of the usual optimizers, paying their lazy set-up."""
    try:
        import torch
    except ImportError:
        return
    model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 4))
    x, y = torch.randn(4, 8), torch.tensor([0, 1, 2, 3])
    for make in (torch.optim.SGD, torch.optim.Adam, torch.optim.AdamW):
        optimizer = make(model.parameters(), lr=1e-3)
        loss = torch.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    torch.nn.functional.mse_loss(model(x), torch.zeros(4, 4)).item()


def apply_limits(limits: dict[str, int]) -> None:
    """Lower the per-process limits before any learner code runs."""
    pairs = {
        "nofile": resource.RLIMIT_NOFILE,
        "fsize": resource.RLIMIT_FSIZE,
        "core": resource.RLIMIT_CORE,
        "nproc": resource.RLIMIT_NPROC,  # counts the box's own uid only: one uid per box
    }
    for name, which in pairs.items():
        if name in limits:
            resource.setrlimit(which, (limits[name], limits[name]))
    if "cpu" in limits:
        # The limit counts this process's whole life, including the warm-up.
        used = resource.getrusage(resource.RUSAGE_SELF)
        spent = int(used.ru_utime + used.ru_stime) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (spent + limits["cpu"], spent + limits["cpu"] + 2))


def main(argv: list[str]) -> None:
    if "--event-fifo" in argv:
        fifo = os.open(argv[argv.index("--event-fifo") + 1], os.O_WRONLY)
        os.dup2(fifo, EVENT_FD)
        os.close(fifo)
    if "--warm" in argv:
        warm_up()
    os.write(EVENT_FD, b'{"type":"ready"}\n')
    line = sys.stdin.buffer.readline(1 << 20)
    if not line:
        raise SystemExit(0)  # the host discarded this box unused
    go = json.loads(line)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.chdir(go["workdir"])
    os.environ.update(go["env"])
    apply_limits(go.get("limits", {}))
    if "torch" in sys.modules and go.get("threads"):
        sys.modules["torch"].set_num_threads(int(go["threads"]))
    entry = go["entrypoint"]
    sys.argv = list(go.get("argv") or [entry])
    sys.path[:] = [go["workdir"], HERE, *[p for p in sys.path if p and p != HERE]]
    runpy.run_path(entry, run_name="__main__")


if __name__ == "__main__":
    main(sys.argv[1:])
