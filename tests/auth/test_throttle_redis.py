"""Failed-login limits are shared by every worker through Redis when REDIS_URL is set."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest

from lms import create_app
from lms.config import TestConfig
from lms.db import utcnow


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is missing: run `make system-deps` (installs Debian's redis-server)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


def test_two_workers_share_the_failure_count(redis_url):
    from lms.auth.throttle import init_throttle

    workers = [create_app(TestConfig) for _ in range(2)]
    for worker in workers:
        worker.config.update(REDIS_URL=redis_url)
        init_throttle(worker)
    first, second = (w.extensions["login_throttle"] for w in workers)
    first.reset()
    now = utcnow()
    for _attempt in range(2):
        first.record_failure(None, "huong.nt", "10.0.0.1", now)
    second.record_failure(None, "huong.nt", "10.0.0.1", now)
    assert first.wait_for(None, "huong.nt", "10.0.0.1", now) == 2
    assert second.wait_for(None, "huong.nt", "10.0.0.1", now) == 2
    assert second.wait_for(None, "huong.nt", "10.9.9.9", now) == 0  # the owner elsewhere is not slowed
    second.record_success(None, "huong.nt", "10.0.0.1")
    assert first.wait_for(None, "huong.nt", "10.0.0.1", now) == 0


def test_redis_counts_expire_with_their_window(redis_url):
    import redis

    from lms.auth.throttle import RedisCounts, pair_key

    counts = RedisCounts(redis.Redis.from_url(redis_url))
    counts.hit(None, pair_key("a", "b"), utcnow(), 60)
    ttl = counts.client.ttl(pair_key("a", "b"))
    assert 0 < ttl <= 61
