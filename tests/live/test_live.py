"""`byokcheck live` against moto: the correct setup, and one broken thing at a time.

Strict on ids, statuses, error codes and finding codes; loose on prose (one key word).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable, Dict, List, Set, Tuple

import pytest

from conftest import (
    ASSUME_STEPS,
    EXTERNAL_ID,
    INSPECT_STEPS,
    STEP_IDS,
    Live,
    Run,
    Setup,
    run_cli,
)

SetupFactory = Callable[..., Setup]

# --------------------------------------------------------------------------------------------
# Document edits (each breaks one thing in a generated document)


def drop_external_id_condition(trust: Dict[str, Any]) -> None:
    for statement in trust["Statement"]:
        statement.pop("Condition", None)


def drop_decrypt(iam: Dict[str, Any]) -> None:
    for statement in iam["Statement"]:
        actions = statement["Action"]
        statement["Action"] = [a for a in actions if a != "kms:Decrypt"]


def drop_role_statement(key: Dict[str, Any]) -> None:
    key["Statement"] = [s for s in key["Statement"] if ":role/" not in str(s.get("Principal"))]


def drop_role_and_narrow_root(key: Dict[str, Any]) -> None:
    """No statement for the role, and the account root keeps only administration: the role
    cannot use the key at all, not even through IAM."""
    drop_role_statement(key)
    for statement in key["Statement"]:
        statement["Action"] = [
            "kms:Create*",
            "kms:Describe*",
            "kms:Enable*",
            "kms:List*",
            "kms:Put*",
            "kms:Update*",
            "kms:Revoke*",
            "kms:Disable*",
            "kms:Get*",
            "kms:Delete*",
            "kms:TagResource",
            "kms:UntagResource",
            "kms:ScheduleKeyDeletion",
            "kms:CancelKeyDeletion",
        ]


def mentions(text: Any, word: str) -> bool:
    return isinstance(text, str) and word.lower() in text.lower()


def prose(step: Dict[str, Any]) -> str:
    return " ".join(str(step.get(k) or "") for k in ("detail", "cause", "fix"))


def assert_steps(run: Run, expected: Dict[str, str]) -> None:
    statuses = run.statuses()
    wrong = {k: (statuses[k], v) for k, v in expected.items() if statuses[k] != v}
    assert not wrong, f"steps with another status (got, expected): {wrong}\n{run}"


# --------------------------------------------------------------------------------------------
# The correct setup


def test_correct_setup_passes_every_inspect_step_and_exits_0(
    live: Live, correct_setup: Setup
) -> None:
    run = live(correct_setup)
    assert run.code == 0, run
    assert_steps(run, {s: "passed" for s in INSPECT_STEPS})
    assert_steps(run, {s: "skipped" for s in ASSUME_STEPS})
    assert run.json["summary"]["steps"] == {"passed": 7, "failed": 0, "skipped": 7}
    # What was fetched is what `generate` wrote: it verifies with no finding (but A005).
    assert run.unexpected_findings() == [], run
    kinds = {f["kind"] for f in run.json["files"]}
    assert {"iam", "trust", "key"} <= kinds, run
    items = {i["id"]: i["status"] for i in run.json["items"]}
    assert "failed" not in items.values(), run
    # Only a live run can see the attachment: the item is checked, not `not_checked`.
    assert items.get("policy_attachment") == "passed", run


def test_steps_name_the_api_calls_they_make(live: Live, correct_setup: Setup) -> None:
    run = live(correct_setup)
    calls = {
        "caller_identity": "GetCallerIdentity",
        "role": "GetRole",
        "key": "DescribeKey",
        "key_policy": "GetKeyPolicy",
        "key_rotation": "GetKeyRotationStatus",
        "assume_role": "AssumeRole",
        "generate_data_key": "GenerateDataKey",
        "encrypt": "Encrypt",
        "decrypt": "Decrypt",
    }
    for step_id, call in calls.items():
        assert mentions(run.step(step_id)["action"], call), run.step(step_id)


def test_correct_setup_with_assume_reports_that_moto_ignores_the_external_id(
    live: Live, correct_setup: Setup
) -> None:
    run = live(correct_setup, "--assume")
    assert_steps(run, {s: "passed" for s in INSPECT_STEPS})
    assert_steps(
        run,
        {
            "assume_role": "passed",
            "describe_key_as_role": "passed",
            "generate_data_key": "passed",
            "encrypt": "passed",
            "decrypt": "passed",
            # moto does not enforce trust policies: both are let in, a security failure.
            "assume_without_external_id": "failed",
            "assume_with_wrong_external_id": "failed",
        },
    )
    for step_id in ("assume_without_external_id", "assume_with_wrong_external_id"):
        step = run.step(step_id)
        assert re.search(r"external[\s_-]?id", prose(step), re.I), step
    assert run.code == 1, run


def test_text_format_prints_each_step_with_its_status(live: Live, correct_setup: Setup) -> None:
    titles = {s["id"]: s["title"] for s in live(correct_setup).json["steps"]}
    run = live(correct_setup, fmt="text")
    assert run.code == 0, run
    assert not run.stdout.lstrip().startswith("{"), run
    lines = run.stdout.splitlines()
    words = {
        "passed": ("passed", "pass", "ok", "✓", "✔"),
        "skipped": ("skipped", "skip"),
    }
    for step_id in STEP_IDS:
        status = "passed" if step_id in INSPECT_STEPS else "skipped"
        line = next(
            (
                line
                for line in lines
                if step_id in line or titles[step_id].lower() in line.lower()
            ),
            None,
        )
        assert line is not None, f"no line for step `{step_id}` ({titles[step_id]})\n{run}"
        assert any(w in line.lower() for w in words[status]), (
            f"the line for `{step_id}` does not show `{status}`: {line!r}"
        )


# --------------------------------------------------------------------------------------------
# The key


def test_disabled_key_fails_the_key_step(live: Live, setup_factory: SetupFactory) -> None:
    run = live(setup_factory(key_state="disabled"))
    step = run.step("key")
    assert step["status"] == "failed", run
    assert mentions(step["detail"], "Disabled"), step
    assert mentions(step.get("fix"), "enable-key"), step
    assert_steps(run, {"caller_identity": "passed", "role": "passed"})
    assert run.code == 1, run


def test_key_pending_deletion_fails_the_key_step(
    live: Live, setup_factory: SetupFactory
) -> None:
    run = live(setup_factory(key_state="pending_deletion"))
    step = run.step("key")
    assert step["status"] == "failed", run
    assert mentions(step["detail"], "PendingDeletion"), step
    assert mentions(step.get("fix"), "cancel-key-deletion"), step
    assert run.code == 1, run


def test_missing_key_is_not_found(live: Live, setup_factory: SetupFactory) -> None:
    run = live(setup_factory(create_key=False))
    step = run.step("key")
    assert step["status"] == "failed", run
    assert step.get("error_code") == "NotFoundException", step
    assert_steps(run, {"caller_identity": "passed", "role": "passed"})
    assert run.code == 1, run


def test_key_of_another_region_is_not_found_and_the_region_is_named(
    live: Live, setup_factory: SetupFactory
) -> None:
    # The key lives in us-west-2; the CMK ARN says us-east-1 with the same key id.
    run = live(setup_factory(key_region="us-west-2"))
    step = run.step("key")
    assert step["status"] == "failed", run
    assert step.get("error_code") == "NotFoundException", step
    assert mentions(f"{step['detail']} {step.get('cause') or ''}", "region"), step
    assert run.code == 1, run


def test_asymmetric_key_fails_the_key_step(live: Live, setup_factory: SetupFactory) -> None:
    run = live(setup_factory(key_spec="RSA_2048"))
    step = run.step("key")
    assert step["status"] == "failed", run
    assert mentions(step["detail"], "SYMMETRIC_DEFAULT"), step
    assert run.code == 1, run


# --------------------------------------------------------------------------------------------
# The role and its policies


def test_missing_role_is_no_such_entity(live: Live, setup_factory: SetupFactory) -> None:
    run = live(setup_factory(create_role=False))
    step = run.step("role")
    assert step["status"] == "failed", run
    assert step.get("error_code") == "NoSuchEntity", step
    assert_steps(run, {"caller_identity": "passed", "key": "passed"})
    assert run.code == 1, run


def test_policy_not_attached_fails_the_policy_attachment_item(
    live: Live, setup_factory: SetupFactory
) -> None:
    run = live(setup_factory(attach_policy=False))
    items = {i["id"]: i["status"] for i in run.json["items"]}
    assert items.get("policy_attachment") == "failed", run
    assert run.code == 1, run


# --------------------------------------------------------------------------------------------
# The fetched documents, verified as `byokcheck verify` verifies them


def test_trust_policy_without_external_id_condition(
    live: Live, setup_factory: SetupFactory
) -> None:
    run = live(setup_factory(trust_policy=drop_external_id_condition))
    assert run.step("static_checks")["status"] == "failed", run
    # `missing-external-id-condition` (T003 is `external-id-not-required`, the catch-all).
    assert "T004" in run.codes("trust"), run.json["files"]
    assert_steps(run, {s: "passed" for s in INSPECT_STEPS if s != "static_checks"})
    assert run.code == 1, run


def test_key_policy_without_the_role_warns_that_use_goes_through_iam(
    live: Live, setup_factory: SetupFactory
) -> None:
    # The account-root statement still delegates to IAM, and the IAM policy grants: it works,
    # but the role is not in the key policy (`key-use-only-via-iam`, a warning).
    run = live(setup_factory(key_policy=drop_role_statement))
    assert "K003" in run.codes("key"), run.json["files"]


def test_key_policy_the_role_cannot_use(live: Live, setup_factory: SetupFactory) -> None:
    run = live(setup_factory(key_policy=drop_role_and_narrow_root))
    assert run.step("static_checks")["status"] == "failed", run
    assert "K002" in run.codes("key"), run.json["files"]
    assert run.code == 1, run


def test_iam_policy_without_decrypt(live: Live, setup_factory: SetupFactory) -> None:
    run = live(setup_factory(iam_policy=drop_decrypt))
    assert run.step("static_checks")["status"] == "failed", run
    assert "I001" in run.codes("iam"), run.json["files"]
    assert run.code == 1, run


def test_console_external_id_one_character_off(
    live: Live, correct_setup: Setup
) -> None:
    console_id = EXTERNAL_ID[:-1] + "x"  # one character off
    run = live(correct_setup, external_id=console_id)
    assert run.step("static_checks")["status"] == "failed", run
    assert "T002" in run.codes("trust"), run.json["files"]
    assert run.code == 1, run


def test_service_role_arn_is_what_the_trust_policy_is_checked_against(
    live: Live, setup_factory: SetupFactory
) -> None:
    vendor = "arn:aws:iam::111122223333:role/OtherVendorRole"
    setup = setup_factory(service_role_arn=vendor)
    run = live(setup)
    assert run.code == 0, run
    assert run.unexpected_findings() == [], run
    # Checked against the default instance's role instead, the trust policy is wrong.
    run = live(setup, service_role_arn="")
    assert run.step("static_checks")["status"] == "failed", run
    severities = {f["severity"] for f in run.findings("trust")}
    assert severities & {"error", "security_warning"}, run.json["files"]
    assert run.code == 1, run


def finding_keys(files: List[Dict[str, Any]], kind: str) -> Set[Tuple[Any, ...]]:
    return {
        (f["code"], f["severity"], f["pointer"])
        for file in files
        if file.get("kind") == kind
        for f in file["findings"]
    }


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"trust_policy": drop_external_id_condition},
        {"iam_policy": drop_decrypt},
        {"key_policy": drop_role_and_narrow_root},
        {"key_policy": drop_role_statement, "iam_policy": drop_decrypt},
    ],
    ids=["correct", "trust-no-condition", "iam-no-decrypt", "key-no-role", "two-mistakes"],
)
def test_static_checks_find_what_verify_finds_in_the_same_documents(
    live: Live, setup_factory: SetupFactory, cli: Path, home: Path, changes: Dict[str, Any]
) -> None:
    setup = setup_factory(**changes)
    run = live(setup)
    folder = setup.folder
    verify = run_cli(
        cli,
        [
            "verify", "--no-config", "--format", "json",
            "--iam-policy", str(folder / "iam-policy.json"),
            "--trust-policy", str(folder / "trust-policy.json"),
            "--key-policy", str(folder / "key-policy.json"),
            "--role-arn", setup.role_arn,
            "--cmk-arn", setup.cmk_arn,
            "--external-id", setup.external_id,
        ],
        home=home,
    )  # fmt: skip
    assert verify.code in (0, 1), verify
    expected = json.loads(verify.stdout)
    for kind in ("iam", "trust", "key"):
        assert finding_keys(run.json["files"], kind) == finding_keys(expected["files"], kind), (
            f"{kind}: live and verify disagree\n{run}\n{verify}"
        )
    live_items = {i["id"]: i["status"] for i in run.json["items"]}
    verify_items = {i["id"]: i["status"] for i in expected["items"]}
    live_items.pop("policy_attachment", None)
    verify_items.pop("policy_attachment", None)
    assert live_items == verify_items, f"{run}\n{verify}"
    expected_static = "failed" if "failed" in verify_items.values() else "passed"
    assert run.step("static_checks")["status"] == expected_static, run


def test_usage_error_exits_2(cli: Path, home: Path) -> None:
    run = run_cli(
        cli,
        ["live", "--role-arn", "arn:aws:iam::123456789012:role/BYOK_Role", "--no-config"],
        home=home,
    )
    assert run.code == 2, run
    assert run.stderr.strip(), run


def test_help_lists_the_flags(cli: Path, home: Path) -> None:
    run = run_cli(cli, ["live", "--help"], home=home)
    assert run.code == 0, run
    for flag in (
        "--role-arn", "--cmk-arn", "--external-id", "--service-role-arn", "--instance",
        "--assume", "--wait", "--timeout", "--endpoint-url", "--profile", "--format",
        "--no-config",
    ):  # fmt: skip
        assert flag in run.stdout, f"`live --help` does not list {flag}\n{run}"

