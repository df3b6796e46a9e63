"""Work in other processes (casebook.workers): real exceptions with the worker's traceback,
messages while the worker runs, and no worker left running after a timeout."""

from __future__ import annotations

import os
import time

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
