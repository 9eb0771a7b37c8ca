"""The Redis cache backend that keeps one client per pool (core.rediscache) behaves as
Django's: values round-trip, counters count, expiry and deletion hold, and it keeps working
from several threads and in a forked process (gunicorn's workers), on the real Redis."""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
import uuid

import pytest

from zhicheng.core.rediscache import RedisCache

URL = os.environ.get("ZHICHENG_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def cache() -> RedisCache:
    backend = RedisCache(URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    try:
        backend.set("probe", 1, 5)
    except Exception as exc:  # make test starts Redis (scripts/ensure-services): say so
        pytest.fail(f"Redis is not reachable at {URL}: {exc}")
    return backend


def test_values_counters_and_deletion_work_as_with_djangos_backend(cache: RedisCache) -> None:
    cache.set("cities", [{"code": "lyg", "name": "连云港市"}], 60)
    assert cache.get("cities") == [{"code": "lyg", "name": "连云港市"}]
    assert cache.get("missing", "默认") == "默认"
    cache.set("generation", 1, None)
    assert cache.incr("generation") == 2
    assert cache.get_many(["cities", "generation"]) == {
        "cities": [{"code": "lyg", "name": "连云港市"}], "generation": 2}
    cache.delete("cities")
    assert cache.get("cities") is None
    assert cache.add("once", "a", 60) and not cache.add("once", "b", 60)
    assert cache.get("once") == "a"


def _child(inherited: RedisCache, queue: mp.Queue) -> None:
    # The forked worker uses the object it inherited, client and pool included.
    queue.put(inherited.get("shared"))
    inherited.set("from-child", "来自子进程", 60)


def test_threads_and_a_forked_process_share_the_server_not_a_connection(
    cache: RedisCache,
) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(200):
                cache.set(f"t{n}", i, 60)
                assert cache.get(f"t{n}") == i
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    cache.set("shared", "来自父进程", 60)
    ctx = mp.get_context("fork")
    queue: mp.Queue = ctx.Queue()
    child = ctx.Process(target=_child, args=(cache, queue))
    child.start()
    child.join(20)
    assert child.exitcode == 0 and queue.get(timeout=5) == "来自父进程"
    # the parent's client still works after the fork, and sees what the child wrote
    assert cache.get("shared") == "来自父进程" and cache.get("from-child") == "来自子进程"
