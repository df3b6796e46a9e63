"""All work the casebook hands to other processes: ``concurrent.futures`` pools of spawned processes.

Three jobs run elsewhere: half of the case files are checked in a worker while the caller checks
the other half (casebook.catalog); the search index is built in a worker (casebook.index), which
gives back, when it ends, the gigabyte a 10,000-case build takes; and that worker segments the
texts in a pool of its own, on every core.

Processes are spawned, never forked: the caller may be the multithreaded `mkdocs serve`, and a
fork copies its locks in whatever state other threads left them. A worker's exception reaches the
caller as ``WorkerFailed`` saying, in Chinese, what failed, chained to the exception itself, whose
own cause carries the worker's traceback. A worker still running when its timeout passes, or when
the caller fails, is stopped: nothing outlives the ``with`` block that made it. Nor the process
that made it: a worker whose parent is gone (killed, even by SIGKILL) ends itself.

The commands turn SIGTERM into an exception (``stop_on_sigterm``), so that the same clean-up runs
as on Ctrl+C; and a program they start (`mkdocs build`, ``run_child``) runs in a process group of
its own that is killed with everything in it when the command is stopped, and dies with it.
"""

from __future__ import annotations

import concurrent.futures
import ctypes
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

SPAWN = multiprocessing.get_context("spawn")
_POLL_S = 0.05  # how often a caller waiting for a worker's result looks for its messages
_PARENT_POLL_S = 0.5  # how often a worker looks whether its parent is still there

_outbox = None  # in a worker started by run_in_worker: where ``send`` puts its messages


class WorkerFailed(Exception):
    """What a worker process could not do; ``__cause__`` is the worker's own exception."""


class Terminated(BaseException):
    """SIGTERM arrived (``stop_on_sigterm``). Not an Exception, like KeyboardInterrupt: no
    ``except Exception`` takes it for a failure to report."""


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Within the block, SIGTERM raises ``Terminated`` in the main thread instead of ending the
    process at once: ``finally`` blocks and ``with`` exits run (staging folders removed, pools
    and child processes stopped)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum, frame):
        raise Terminated()
    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_child(command: list[str], **options) -> subprocess.CompletedProcess:
    """``subprocess.run(command, **options)`` in a process group of its own: if this process is
    interrupted (Ctrl+C, ``Terminated``, any exception) the whole group (the program and whatever
    it started, such as its worker pools) is killed before the exception goes on; if this
    process is killed outright, the kernel ends the program too (Linux: PR_SET_PDEATHSIG)."""
    with subprocess.Popen(command, start_new_session=True, preexec_fn=_die_with(os.getpid()), **options) as child:
        try:
            stdout, stderr = child.communicate()
        except BaseException:
            _kill_group(child)
            raise
    return subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr)


def _kill_group(child: subprocess.Popen) -> None:
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    child.wait()


_PR_SET_PDEATHSIG = 1
_prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform == "linux" else None  # looked up before any fork


def _die_with(parent: int) -> Callable[[], None] | None:
    """What a child runs before its program: ask the kernel for SIGKILL when its parent dies (and
    end at once if it already has)."""
    if _prctl is None:
        return None

    def arrange() -> None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:
            os._exit(1)
    return arrange


@contextmanager
def worker_pool(processes: int = 1, *, nice: int = 0, initializer: Callable | None = None,
                initargs: tuple = ()) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``processes`` spawned processes at ``nice`` (see os.nice; their own workers
    inherit it), each first running ``initializer(*initargs)``. Leaving the block waits for the
    pool's tasks; leaving it by an exception (a timeout, a failed task) stops them."""
    pool = ProcessPoolExecutor(processes, mp_context=SPAWN, initializer=_start_worker,
                               initargs=(os.getpid(), nice, initializer, initargs))
    try:
        yield pool
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def result(future: Future, task: str, timeout: float | None):
    """What the task of ``future`` returned, waiting at most ``timeout`` seconds; WorkerFailed
    naming the ``task`` (in Chinese: 检查案例, 建立检索索引) otherwise."""
    try:
        return future.result(timeout)
    except concurrent.futures.TimeoutError:
        raise _timed_out(task, timeout) from None
    except BrokenProcessPool as error:
        raise WorkerFailed(f"{task}失败：工作进程意外退出") from error
    except Exception as error:
        raise WorkerFailed(f"{task}失败：{type(error).__name__}: {error}") from error


def run_in_worker(task: str, function: Callable, *args, timeout: float | None,
                  on_message: Callable[[object], None] | None = None, nice: int = 0):
    """``function(*args)`` in a spawned worker process; its result, or WorkerFailed. What the
    function passes to ``send`` (this module's) reaches ``on_message`` in this process while the
    worker runs: the index build hands over its key terms before it writes the index."""
    outbox = SPAWN.SimpleQueue()
    deadline = None if timeout is None else time.monotonic() + timeout
    with worker_pool(1, nice=nice, initializer=_open_outbox, initargs=(outbox,)) as pool:
        future = pool.submit(function, *args)
        while not future.done():
            concurrent.futures.wait([future], timeout=_POLL_S)
            _deliver(outbox, on_message)
            if deadline is not None and time.monotonic() > deadline:
                raise _timed_out(task, timeout)  # and leaving the pool's block stops the worker
        _deliver(outbox, on_message)
        return result(future, task, None)


def send(message: object) -> None:
    """In a worker started by ``run_in_worker``: hand ``message`` to its caller's ``on_message``."""
    if _outbox is None:
        raise RuntimeError("send() is for functions run by run_in_worker")
    _outbox.put(message)


def _timed_out(task: str, timeout: float) -> WorkerFailed:
    return WorkerFailed(f"{task}失败：超过 {timeout:g} 秒仍未完成")


def _deliver(outbox, on_message: Callable[[object], None] | None) -> None:
    while not outbox.empty():
        message = outbox.get()
        if on_message:
            on_message(message)


def _start_worker(parent: int, nice: int, initializer: Callable | None, initargs: tuple) -> None:
    _end_with_parent(parent)
    if nice:
        os.nice(nice)
    if initializer:
        initializer(*initargs)


def _end_with_parent(parent: int) -> None:
    """End this worker when ``parent`` is no longer its parent (it died and the worker was handed
    to another): a worker in a long task would otherwise run on, alone, holding its memory. A
    watch rather than PR_SET_PDEATHSIG, which fires when the parent's *thread* that started the
    worker ends, and pools are started from passing threads too (`mkdocs serve`)."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_POLL_S)
        os._exit(1)
    threading.Thread(target=watch, name="casebook-parent-watch", daemon=True).start()


def _open_outbox(outbox) -> None:
    global _outbox
    _outbox = outbox


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's processes without waiting for their tasks. Python 3.14 has
    ``terminate_workers``; before it, the processes are only reachable through ``_processes``."""
    terminate = getattr(pool, "terminate_workers", None)
    if terminate:
        terminate()
        return
    for process in list((pool._processes or {}).values()):
        process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)
