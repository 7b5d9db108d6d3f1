"""Running the per-file analysis: inline, or in a pool of worker processes over all cores."""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import sys
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ..core.errors import TerragonError
from .analysis import FileAnalyser, Outcome, analyse_batch, start_worker
from .scan_config import ScanConfig

#: Below this many files to analyse, starting worker processes costs more than it saves.
INLINE_BELOW = 24
Task = tuple[str, frozenset[str]]


class ScanCancelled(TerragonError):
    """The scan was cancelled before it finished; it produced nothing."""


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    pool.shutdown(wait=False, cancel_futures=True)
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def _context() -> multiprocessing.context.BaseContext:
    """fork where it is safe (Linux, no other thread), else forkserver or spawn.

    fork starts workers at once with everything imported; with threads running (a TUI)
    a forked child could inherit a held lock, so a clean forkserver child is used instead.
    """
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and threading.active_count() == 1 and "fork" in methods:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


_STARTING = threading.Lock()


def _stderr_descriptor_usable() -> bool:
    try:
        return sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        return False


def start_helpers() -> None:
    """Start multiprocessing's resource tracker now, while `sys.stderr` is a real file.

    The tracker, which forkserver and spawn pools need, is started with `sys.stderr.fileno()`
    kept open for it; a TUI's `sys.stderr` is a capture object whose fileno() is -1, and
    starting it there fails with "bad value(s) in fds_to_keep". Once running it serves every
    later pool of the process, so an app that replaces `sys.stderr` calls this before it
    does. Should the tracker have to start under such a stderr after all, /dev/null stands
    in for the moment it takes (a last resort: whoever sets `sys.stderr` meanwhile races it).
    """
    from multiprocessing import resource_tracker

    with _STARTING:
        if _stderr_descriptor_usable():
            resource_tracker.ensure_running()
            return
        saved = sys.stderr
        with open(os.devnull, "w") as devnull:
            sys.stderr = devnull
            try:
                resource_tracker.ensure_running()
            finally:
                if sys.stderr is devnull:  # nobody else changed it meanwhile
                    sys.stderr = saved


class _PoolBroke(Exception):
    def __init__(self, in_flight: list[list[Task]], started: bool) -> None:
        super().__init__("a worker process died")
        self.in_flight = in_flight
        self.started = started  # False: no batch ever came back, the pool cannot run here


def _run_pool(
    root: str,
    queue: deque[list[Task]],
    workers: int,
    config: ScanConfig,
    receive: Callable[[Outcome], None],
    cancelled: Callable[[], bool],
) -> None:
    """Feed `queue` to a process pool, a few batches ahead; raise _PoolBroke if one dies."""
    context = _context()
    if context.get_start_method() != "fork":  # forked workers need no tracker
        start_helpers()
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=start_worker,
        initargs=(config.size_limit, config.file_budget),
    )
    running: dict[Future[list[Outcome]], list[Task]] = {}
    started = False
    try:
        while queue or running:
            while queue and len(running) < workers * 3:
                batch = queue.popleft()
                running[pool.submit(analyse_batch, root, batch)] = batch
            done, _ = wait(list(running), timeout=0.1, return_when=FIRST_COMPLETED)
            if cancelled():
                _stop_pool(pool)
                raise ScanCancelled("scan cancelled")
            for future in done:
                batch = running.pop(future)
                try:
                    outcomes = future.result()
                except BrokenProcessPool:
                    raise _PoolBroke([batch, *running.values()], started) from None
                started = True
                for outcome in outcomes:
                    receive(outcome)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _analyse_inline(
    root: Path,
    tasks: list[Task],
    config: ScanConfig,
    receive: Callable[[Outcome], None],
    cancelled: Callable[[], bool],
) -> None:
    with FileAnalyser(config.size_limit, config.file_budget) as analyser:
        for path, analysers in tasks:
            if cancelled():
                raise ScanCancelled("scan cancelled")
            receive(analyser.analyse(str(root), path, analysers))


def analyse_files(
    root: Path,
    todo: list[Task],
    config: ScanConfig,
    workers: int,
    receive: Callable[[Outcome], None],
    cancelled: Callable[[], bool],
) -> list[str]:
    """Analyse the plan's files inline or in a process pool, surviving crashed workers.

    Returns notes: a pool that cannot start at all (no `__main__` guard in a script,
    a sandbox without semaphores) falls back to analysing in this process.
    """
    if workers <= 1 or len(todo) < INLINE_BELOW:
        _analyse_inline(root, todo, config, receive, cancelled)
        return []
    # largest files first, in small batches, so no worker is left alone with a big one
    sizes = {path: _size(root / path) for path, _ in todo}
    tasks = sorted(todo, key=lambda task: -sizes[task[0]])
    size = max(1, min(8, len(tasks) // (workers * 16)))
    queue = deque(tasks[i : i + size] for i in range(0, len(tasks), size))
    for _attempt in range(8):
        try:
            _run_pool(str(root), queue, workers, config, receive, cancelled)
            return []
        except _PoolBroke as broke:
            if not broke.started:
                rest = [task for batch in (*broke.in_flight, *queue) for task in batch]
                _analyse_inline(root, rest, config, receive, cancelled)
                return ["worker processes could not start: files analysed in one process"]
            for batch in broke.in_flight:
                if len(batch) == 1:  # the file that took its worker down
                    receive(Outcome(batch[0][0], {}, "analyser process crashed", False))
                else:
                    queue.extend([task] for task in batch)
    raise TerragonError("scan failed: analyser processes keep crashing")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
