"""When the test cannot run: nobody listening, the server dying mid-run, responses slower than
`--timeout`, no credentials. Exit 2, a bounded run time, and the steps say how far it got."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from conftest import (
    FAULT_BOUND,
    Aws,
    Live,
    MotoServer,
    Run,
    Setup,
    base_env,
    free_port,
    make_setup,
    offline_setup,
    start_moto,
)
from fault_proxy import FaultProxy

SetupFactory = Callable[..., Setup]
TIMEOUT = ["--timeout", "2"]


def assert_stopped_at(run: Run, index: int) -> None:
    """Steps before `index` passed, the step at `index` failed, every later one skipped."""
    statuses = [s["status"] for s in run.json["steps"]]
    assert statuses[:index] == ["passed"] * index, run
    assert statuses[index] == "failed", run
    assert set(statuses[index + 1 :]) <= {"skipped"}, run


def first_failure(run: Run) -> int:
    statuses = [s["status"] for s in run.json["steps"]]
    assert "failed" in statuses, run
    return statuses.index("failed")


def test_endpoint_nobody_listens_on(live_anywhere: Live) -> None:
    port = free_port()
    run = live_anywhere(
        offline_setup(), *TIMEOUT, endpoint=f"http://127.0.0.1:{port}", timeout=FAULT_BOUND
    )
    assert run.code == 2, run
    assert run.elapsed < FAULT_BOUND, run
    assert f"127.0.0.1:{port}" in run.output, f"the endpoint is not named\n{run}"
    assert_stopped_at(run, 0)


def test_server_killed_mid_run(live_anywhere: Live, tmp_path: Path, cli: Path, home: Path) -> None:
    # A moto of its own: this one dies.
    server: MotoServer = start_moto(tmp_path)
    proxy = None
    try:
        own = Aws(server.url)
        setup = make_setup(own, cli, home, tmp_path)
        # GetCallerIdentity and GetRole reach moto; then moto is killed and the proxy drops
        # every later connection.
        proxy = FaultProxy(server.url, forward_limit=2, on_limit=server.process.kill).start()
        run = live_anywhere(setup, *TIMEOUT, endpoint=proxy.url, timeout=FAULT_BOUND)
        assert not server.alive(), "the proxy did not kill moto: the run made fewer than 2 calls"
        assert [r.forwarded for r in proxy.requests][:3] == [True, True, False], proxy.requests
    finally:
        if proxy is not None:
            proxy.stop()
        server.stop()
    assert run.code == 2, run
    assert run.elapsed < FAULT_BOUND, run
    index = first_failure(run)
    assert index >= 1, f"no step passed before the server died\n{run}"
    assert_stopped_at(run, index)


def test_responses_slower_than_the_timeout(
    live: Live, moto: MotoServer, correct_setup: Setup
) -> None:
    with FaultProxy(moto.url, delay=8.0) as proxy:
        run = live(correct_setup, *TIMEOUT, endpoint=proxy.url, timeout=FAULT_BOUND)
    assert run.code == 2, run
    assert run.elapsed < FAULT_BOUND, run
    assert re.search(r"time[sd]?[\s_-]?out", run.output, re.I), f"no mention of a timeout\n{run}"
    assert_stopped_at(run, 0)


def test_no_credentials(live_anywhere: Live, moto: MotoServer, home: Path) -> None:
    env = base_env(home)
    del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
    run = live_anywhere(offline_setup(), *TIMEOUT, endpoint=moto.url, env=env, timeout=FAULT_BOUND)
    assert run.code == 2, run
    assert run.elapsed < FAULT_BOUND, run
    assert re.search(r"credential", run.output, re.I), f"no mention of credentials\n{run}"
