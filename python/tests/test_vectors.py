"""Every shared conformance vector (tests/vectors/**.json, format in its README) against the
installed wheel: exactly the expected (code, severity, line, column) list, as in Rust and npm."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Any, Optional

import pytest

import byokcheck

ROOT = Path(os.environ.get("BYOKCHECK_REPO", Path(__file__).resolve().parents[2])) / "tests/vectors"
PATHS = sorted(ROOT.rglob("*.json"))
POLICY_KINDS = ("iam", "trust", "key")
CONTEXT_FIELDS = {"instance", "service_role_arn", "external_id", "role_arn", "cmk_arn"}


def load(path: Path) -> dict[str, Any]:
    vector: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return vector


def run(vector: dict[str, Any]) -> byokcheck.Report:
    kind: Optional[byokcheck.Kind] = vector.get("kind")
    context: dict[str, str] = vector.get("context") or {}
    unknown = set(context) - CONTEXT_FIELDS
    assert not unknown, f"unknown context fields {unknown}"
    if kind in POLICY_KINDS:
        return byokcheck.check(
            vector["document"],
            kind,
            role_arn=context.get("role_arn"),
            cmk_arn=context.get("cmk_arn"),
            external_id=context.get("external_id"),
            instance=context.get("instance"),
            service_role_arn=context.get("service_role_arn"),
        )
    return byokcheck.check_arn(vector["document"], kind)


def actual(report: byokcheck.Report) -> list[dict[str, Any]]:
    return [
        {"code": f.code, "severity": f.severity.value, "line": f.line, "column": f.column}
        for f in report.findings
    ]


def test_the_vector_suite_is_there() -> None:
    assert len(PATHS) >= 20, f"expected the vector suite under {ROOT}, found {len(PATHS)} files"


@pytest.mark.parametrize("path", PATHS, ids=[str(p.relative_to(ROOT)) for p in PATHS])
def test_vector(path: Path) -> None:
    vector = load(path)
    assert vector["description"], f"{path.relative_to(ROOT)}: empty description"
    report = run(vector)
    got = actual(report)
    assert got == vector["expected"], (
        f"{path.relative_to(ROOT)}: {vector['description']}\n"
        f"  expected: {json.dumps(vector['expected'])}\n"
        f"  actual:   {json.dumps(got)}\n"
        f"  messages: {[f.message for f in report.findings]}"
    )


def test_check_many_agrees_with_the_vectors() -> None:
    """The batch path (no GIL, several threads) gives the same findings, in input order."""
    groups: dict[str, list[tuple[Path, dict[str, Any]]]] = defaultdict(list)
    for path in PATHS:
        vector = load(path)
        if vector.get("kind") in POLICY_KINDS:
            key = json.dumps([vector["kind"], vector.get("context") or {}], sort_keys=True)
            groups[key].append((path, vector))
    assert groups
    for members in groups.values():
        kind = members[0][1]["kind"]
        context = members[0][1].get("context") or {}
        # Repeated so that large groups cross the threshold for a second thread.
        batch = [v for _, v in members] * 8
        reports = byokcheck.check_many(
            [v["document"] for v in batch],
            kind,
            role_arn=context.get("role_arn"),
            cmk_arn=context.get("cmk_arn"),
            external_id=context.get("external_id"),
            instance=context.get("instance"),
            service_role_arn=context.get("service_role_arn"),
        )
        assert len(reports) == len(batch)
        for (path, vector), report in zip(members * 8, reports):
            assert actual(report) == vector["expected"], str(path.relative_to(ROOT))
