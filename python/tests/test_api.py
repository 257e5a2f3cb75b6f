"""The API's shape: classes, to_dict() against the core's serde contract and the CLI's JSON,
pickling, repr, the facade's helpers."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import subprocess
from pathlib import Path

import pytest

from typing import TypedDict

import byokcheck
from byokcheck import _native

FINDING_FIELDS = [
    "code", "name", "severity", "message", "pointer", "span",
    "line", "column", "end_line", "end_column", "help",
]
BROKEN_TRUST = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",\n'
    ' "Principal": {"AWS": "arn:aws:iam::358587034707:root"}, "Action": "sts:AssumeRole"}]}'
)
class Ctx(TypedDict):
    role_arn: str
    cmk_arn: str
    external_id: str


CONTEXT: Ctx = {
    "role_arn": "arn:aws:iam::111122223333:role/BYOK_Role",
    "cmk_arn": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "external_id": "kore-7f3a9c2e-byok",
}


def broken() -> byokcheck.Report:
    return byokcheck.check(BROKEN_TRUST, "trust", **CONTEXT)


def test_a_broken_trust_policy_has_blocking_findings() -> None:
    report = broken()
    assert report.kind == "trust"
    assert report.reason is None
    assert report.positions_known
    assert report.findings
    assert not report.ok
    assert report.blocking
    assert all(f.severity in (byokcheck.Severity.ERROR, byokcheck.Severity.SECURITY_WARNING)
               for f in report.blocking)
    assert all(isinstance(f.severity, byokcheck.Severity) for f in report.findings)


def test_a_correct_policy_is_ok(trust_policy: str) -> None:
    report = byokcheck.check(trust_policy, "trust", **CONTEXT)
    assert report.ok
    assert report.blocking == ()
    assert report.findings == ()


def test_severity_is_an_enum_with_the_core_spelling() -> None:
    assert [s.value for s in byokcheck.Severity] == [
        "error", "security_warning", "warning", "suggestion",
    ]
    assert byokcheck.Severity("security_warning") is byokcheck.Severity.SECURITY_WARNING
    assert byokcheck.Severity.ERROR.blocking and not byokcheck.Severity.WARNING.blocking


def test_to_dict_is_the_core_serde_contract() -> None:
    report = broken()
    native = _native.check(BROKEN_TRUST, "trust", CONTEXT["role_arn"], CONTEXT["cmk_arn"],
                           CONTEXT["external_id"], "platform.kore.ai", None)
    assert report.to_dict() == native
    assert list(native) == ["kind", "findings"]
    assert [list(f) for f in report.to_dict()["findings"]] == [FINDING_FIELDS] * len(report.findings)
    assert list(report.findings[0].to_dict()["span"]) == ["start", "end"]


def test_to_dict_matches_the_cli_json_file_entry(tmp_path: Path) -> None:
    repo = Path(os.environ.get("BYOKCHECK_REPO", Path(__file__).resolve().parents[2]))
    cli = os.environ.get("BYOKCHECK_CLI", str(repo / "target/debug/byokcheck"))
    assert Path(cli).exists(), f"{cli}: build it with `cargo build -p byokcheck-cli`"
    path = tmp_path / "trust.json"
    path.write_text(BROKEN_TRUST)
    out = subprocess.run(
        [cli, "check", "--format", "json", "--external-id", CONTEXT["external_id"],
         "--role-arn", CONTEXT["role_arn"], "--cmk-arn", CONTEXT["cmk_arn"], str(path)],
        capture_output=True, text=True, check=False,
    )
    assert out.returncode == 1, out.stderr
    entry = json.loads(out.stdout)["files"][0]
    entry.pop("path")
    report = byokcheck.check(BROKEN_TRUST, **CONTEXT)
    assert report.reason is not None
    assert report.to_dict() == entry


def test_round_trips_through_pickle_and_to_dict() -> None:
    report = broken()
    assert pickle.loads(pickle.dumps(report)) == report
    assert byokcheck.Report.from_dict(report.to_dict()) == report
    assert byokcheck.Report.from_dict(json.loads(json.dumps(report.to_dict()))) == report
    setup = byokcheck.verify_setup(trust_policy=BROKEN_TRUST, **CONTEXT)
    assert pickle.loads(pickle.dumps(setup)) == setup
    assert byokcheck.SetupReport.from_dict(setup.to_dict()) == setup


def test_results_are_frozen() -> None:
    report = broken()
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.kind = "iam"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.findings[0].line = 3  # type: ignore[misc]


def test_repr_names_codes_and_positions() -> None:
    report = broken()
    first = report.findings[0]
    assert first.code in repr(first) and f"{first.line}:{first.column}" in repr(first)
    assert repr(report).startswith("Report(kind='trust', ok=False, findings=[")
    assert first.code in repr(report)


def test_bytes_and_str_give_the_same_report() -> None:
    assert byokcheck.check(BROKEN_TRUST.encode(), "trust", **CONTEXT) == broken()


def test_a_dict_is_checked_with_unknown_positions() -> None:
    document = json.loads(BROKEN_TRUST)
    report = byokcheck.check(document, "trust", **CONTEXT)
    assert not report.positions_known
    assert [(f.code, f.pointer) for f in report.findings] == [
        (f.code, f.pointer) for f in broken().findings
    ]
    # Positions refer to json.dumps(document, indent=2).
    text = json.dumps(document, indent=2)
    for finding in report.findings:
        assert text.encode()[finding.span.start:finding.span.end]


def test_the_kind_is_detected_with_a_reason(trust_policy: str) -> None:
    report = byokcheck.check(trust_policy, **CONTEXT)
    assert report.kind == "trust"
    assert report.reason == "has `Principal` and allows `sts:AssumeRole`"
    assert report.to_dict()["reason"] == report.reason
    detection = byokcheck.detect_kind(trust_policy)
    assert (detection.kind, detection.reason) == ("trust", report.reason)


def test_check_arn() -> None:
    report = byokcheck.check_arn("arn:aws:iam::1234-5678-9012:role/BYOK_Role")
    assert report.kind == "role_arn"
    assert [(f.name, f.help, f.line, f.column) for f in report.findings] == [
        ("invalid-account-id", "write `123456789012`", 1, 14)
    ]
    assert byokcheck.check_arn(CONTEXT["cmk_arn"], "key_arn").ok
    assert byokcheck.check("not an arn", "key_arn").kind == "key_arn"


def test_generated_setup_verifies_clean() -> None:
    generated = byokcheck.generate(
        account_id="210987654321", region="eu-west-1",
        key_id="5f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b", role_name="BYOK_Role",
        external_id="kore-7f3a9c2e-byok",
    )
    assert generated.context.role_arn == "arn:aws:iam::210987654321:role/BYOK_Role"
    assert generated.context.cmk_arn == (
        "arn:aws:kms:eu-west-1:210987654321:key/5f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b"
    )
    assert set(generated.to_dict()) == {
        "context", "iam_policy", "trust_policy", "key_policy_statement", "key_policy",
    }
    ctx = generated.context
    setup = byokcheck.verify_setup(
        iam_policy=generated.iam_policy, trust_policy=generated.trust_policy,
        key_policy=generated.key_policy, policy_attached=True,
        role_arn=ctx.role_arn, cmk_arn=ctx.cmk_arn, external_id=ctx.external_id,
        instance=ctx.instance, service_role_arn=ctx.service_role_arn,
    )
    assert setup.passed, setup
    assert [d.findings for d in setup.documents] == [()] * len(setup.documents)
    assert {i.status for i in setup.items} == {"passed"}
    assert [i.id for i in setup.items] == [
        "iam_policy", "policy_attachment", "trust_relationship", "key_policy", "key_users",
        "shared_arns",
    ]


def test_a_broken_setup_fails_its_item() -> None:
    setup = byokcheck.verify_setup(trust_policy=json.loads(BROKEN_TRUST), **CONTEXT)
    by_id = {i.id: i for i in setup.items}
    assert by_id["trust_relationship"].status == "failed"
    assert by_id["iam_policy"].status == "not_checked"
    assert not setup.passed


def test_rules_and_rule_documentation() -> None:
    rules = byokcheck.rules()
    codes = [r.code for r in rules]
    assert len(codes) == len(set(codes)) >= 10
    assert all(isinstance(r.severity, byokcheck.Severity) for r in rules)
    first = rules[0]
    doc = byokcheck.rule(first.code)
    assert (doc.code, doc.name, doc.severity, doc.kinds) == (
        first.code, first.name, first.severity, first.kinds,
    )
    assert "## What it catches" in doc.docs
    assert byokcheck.rule(first.name) == doc
    assert byokcheck.rule(first.code.lower()) == doc
    assert first.to_dict() == _native.rules()[0]
    assert doc.to_dict() == _native.rule(first.code)


def test_version() -> None:
    assert byokcheck.__version__ == _native.__version__
    assert byokcheck.__version__.count(".") == 2
