"""A live run only reads: nothing in the account changes, and only read (and, with `--assume`,
the vendor's own crypto) calls are made. Credentials stay out of the output (checked on every
run by conftest's `run_cli`), and so does the External ID (`Live`)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional

import pytest

from conftest import ACCESS_KEY_ID, SECRET_ACCESS_KEY, Aws, Live, MotoServer, Setup, base_env
from fault_proxy import FaultProxy

SetupFactory = Callable[..., Setup]

# What a live run may call. Everything else (Create*, Put*, Enable*, ScheduleKeyDeletion...)
# would change the customer's account.
ALLOWED_PREFIXES = {
    "sts": ("GetCallerIdentity", "AssumeRole"),
    "iam": ("Get", "List", "SimulatePrincipalPolicy"),
    "kms": ("Describe", "Get", "List", "Encrypt", "Decrypt", "GenerateDataKey", "ReEncrypt"),
}


def is_read_only(action: str) -> bool:
    service, _, name = action.partition(":")
    # "AssumeRole" must not let "AssumeRoleWithSAML" etc. through unnoticed; they read too.
    return name != "?" and name.startswith(ALLOWED_PREFIXES.get(service, ()))


@pytest.mark.parametrize("key_state", [None, "disabled", "pending_deletion"])
def test_a_run_changes_nothing_and_only_reads(
    live: Live,
    aws: Aws,
    moto: MotoServer,
    setup_factory: SetupFactory,
    key_state: Optional[str],
) -> None:
    setup = setup_factory(key_state=key_state)
    before = aws.snapshot()
    with FaultProxy(moto.url) as recorder:
        run = live(setup, "--assume", endpoint=recorder.url)
    after = aws.snapshot()
    assert run.code in (0, 1), run
    assert after == before, "the run changed the account"
    actions = recorder.actions()
    assert actions, "the run made no call through the endpoint"
    unknown = [a for a in actions if a.endswith(":?")]
    assert not unknown, f"calls the recorder could not name: {unknown}"
    writes = [a for a in actions if not is_read_only(a)]
    assert not writes, f"calls that are not reads: {writes}"
    for call in ("sts:GetCallerIdentity", "iam:GetRole", "kms:DescribeKey", "kms:GetKeyPolicy"):
        assert call in actions, f"{call} not made: {actions}"
    if key_state is None:
        for call in ("sts:AssumeRole", "kms:Encrypt", "kms:Decrypt"):
            assert call in actions, f"{call} not made with --assume: {actions}"


def test_no_call_without_assume_uses_the_key(
    live: Live, moto: MotoServer, correct_setup: Setup
) -> None:
    with FaultProxy(moto.url) as recorder:
        run = live(correct_setup, endpoint=recorder.url)
    assert run.code == 0, run
    used = [
        a
        for a in recorder.actions()
        if a in {"sts:AssumeRole", "kms:Encrypt", "kms:Decrypt"} or "GenerateDataKey" in a
    ]
    assert not used, f"without --assume the run still called {used}"


def test_credentials_from_a_profile_are_not_printed(
    live: Live, correct_setup: Setup, home: Path
) -> None:
    aws_dir = home / ".aws"
    aws_dir.mkdir(exist_ok=True)
    (aws_dir / "credentials").write_text(
        "[byokcheck-test]\n"
        f"aws_access_key_id = {ACCESS_KEY_ID}\n"
        f"aws_secret_access_key = {SECRET_ACCESS_KEY}\n"
    )
    env = base_env(home)
    del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
    for fmt in ("json", "text"):
        run = live(correct_setup, "--profile", "byokcheck-test", fmt=fmt, env=env)
        assert run.code == 0, run
