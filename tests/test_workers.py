"""Work in other processes (casebook.workers): real exceptions with the worker's traceback,
messages while the worker runs, and no worker left running after a timeout."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casebook import workers


def fail_inside_the_worker(text: str) -> None:
    raise ValueError(f"无法读取 {text}")


def report_then_return(count: int) -> int:
    for number in range(count):
        workers.send(number)
    return os.getpid()


def report_then_hang() -> None:
    workers.send(os.getpid())
    time.sleep(600)


def test_a_workers_exception_reaches_the_caller_with_its_traceback():
    with pytest.raises(workers.WorkerFailed, match="建立检索索引失败：ValueError: 无法读取 甲.yaml") as failed:
        workers.run_in_worker("建立检索索引", fail_inside_the_worker, "甲.yaml", timeout=120)
    cause = failed.value.__cause__
    assert isinstance(cause, ValueError) and str(cause) == "无法读取 甲.yaml"
    # The worker's own traceback, naming the function that raised, is chained to it.
    assert "fail_inside_the_worker" in str(cause.__cause__)


def test_messages_arrive_before_the_result_from_another_process():
    received = []
    pid = workers.run_in_worker("测试", report_then_return, 3, timeout=120, on_message=received.append)
    assert received == [0, 1, 2]
    assert pid != os.getpid()


def test_a_worker_past_its_timeout_is_stopped():
    pids = []
    started = time.monotonic()
    with pytest.raises(workers.WorkerFailed, match="超过 3 秒仍未完成"):
        workers.run_in_worker("测试", report_then_hang, timeout=3, on_message=pids.append)
    assert time.monotonic() - started < 60
    [pid] = pids
    with pytest.raises(ProcessLookupError):  # stopped and reaped, not left sleeping
        os.kill(pid, 0)


def test_a_pool_task_failure_names_the_task():
    with workers.worker_pool() as pool:
        future = pool.submit(fail_inside_the_worker, "乙.yaml")
        with pytest.raises(workers.WorkerFailed, match="检查案例失败：ValueError") as failed:
            workers.result(future, "检查案例", 120)
    assert isinstance(failed.value.__cause__, ValueError)


# --- nothing left running (issue 33) ------------------------------------------------------------------

def descendants(pid: int) -> set[int]:
    """Every process started by ``pid``, and by those, as the kernel lists them now."""
    found, waiting = set(), [pid]
    while waiting:
        for task in Path(f"/proc/{waiting.pop()}/task").glob("*"):
            try:
                children = {int(child) for child in (task / "children").read_text().split()}
            except OSError:
                continue
            waiting += children - found
            found |= children
    return found


def running(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie, dead but not yet reaped by whoever adopted it, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def still_running(pids: set[int], within: float) -> set[int]:
    deadline = time.monotonic() + within
    while (alive := {pid for pid in pids if running(pid)}) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


# A command that hands a task to a worker and waits: it prints the worker's pid once it runs.
HANGING_COMMAND = f"""
import sys
sys.path[:0] = [{str(Path(__file__).parent)!r}]
import test_workers
from casebook import workers
workers.run_in_worker("测试", test_workers.report_then_hang, timeout=600, on_message=lambda pid: print(pid, flush=True))
"""


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGTERM])
def test_a_worker_does_not_outlive_the_command_that_started_it(stop):
    command = subprocess.Popen([sys.executable, "-c", HANGING_COMMAND], stdout=subprocess.PIPE, text=True)
    try:
        worker = int(command.stdout.readline())
        started = descendants(command.pid)  # the worker and multiprocessing's resource tracker
        assert worker in started
        command.send_signal(stop)
        command.wait(30)
    finally:
        command.kill()
    assert still_running(started, within=10) == set()


def finish_quickly(count: int) -> int:
    return count * 2


def test_a_finished_pool_leaves_no_process():
    script = ("from casebook import workers\nimport test_workers, os\n"
              "with workers.worker_pool(2) as pool:\n"
              "    print(sum(pool.map(test_workers.finish_quickly, range(10))), flush=True)\n")
    command = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": os.pathsep.join(
                                   [str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])})
    assert command.stdout.readline().strip() == "90"
    started = descendants(command.pid)
    assert command.wait(30) == 0
    assert still_running(started, within=10) == set()
