"""Shared helpers. The tests import `byokcheck` from the installed wheel, never from the source
tree: scripts/test-python runs pytest with `--import-mode=importlib` from this folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(os.environ.get("BYOKCHECK_REPO", Path(__file__).resolve().parents[2]))

EXAMPLE_CONTEXT: dict[str, str] = {
    "instance": "platform.kore.ai",
    "external_id": "kore-7f3a9c2e-byok",
    "role_arn": "arn:aws:iam::111122223333:role/BYOK_Role",
    "cmk_arn": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
}


@pytest.fixture()
def repo() -> Path:
    return REPO


@pytest.fixture()
def trust_policy() -> str:
    return (REPO / "core/benches/data/small-trust-policy.json").read_text()
