"""Errors: bad policies are findings; wrong types are TypeError; impossible options are
ByokcheckError (a ValueError) with a clear message."""

from __future__ import annotations

from typing import Any

import pytest

import byokcheck


def test_byokcheck_error_is_a_value_error() -> None:
    assert issubclass(byokcheck.ByokcheckError, ValueError)
    assert byokcheck.ByokcheckError.__module__ == "byokcheck"


@pytest.mark.parametrize(
    "text", ["", "{", "null", "[]", '{"Statement": 1}', "\x00", "{" * 5000, '"' * 3]
)
def test_bad_documents_are_findings_not_exceptions(text: str) -> None:
    for kind in ("iam", "trust", "key", "role_arn", "key_arn", None):
        report = byokcheck.check(text, kind)
        assert isinstance(report, byokcheck.Report)
        assert not report.ok, (kind, report)


def test_an_unknown_kind() -> None:
    with pytest.raises(byokcheck.ByokcheckError, match=r"unknown kind `policy`; expected one of"):
        byokcheck.check("{}", "policy")  # type: ignore[arg-type]
    with pytest.raises(byokcheck.ByokcheckError, match="unknown kind"):
        byokcheck.check_arn("arn:aws:iam::111122223333:role/R", "arn")  # type: ignore[arg-type]
    with pytest.raises(byokcheck.ByokcheckError, match="unknown kind"):
        byokcheck.check_many(["{}"], "IAM")  # type: ignore[arg-type]


def test_an_unknown_rule() -> None:
    with pytest.raises(byokcheck.ByokcheckError, match=r"unknown rule code `Z999`"):
        byokcheck.rule("Z999")


def test_generate_refuses_inputs_that_cannot_work() -> None:
    with pytest.raises(byokcheck.ByokcheckError, match=r"invalid `external_id`"):
        byokcheck.generate(account_id="111122223333", region="us-east-1",
                           key_id="1234abcd-12ab-34cd-56ef-1234567890ab",
                           role_name="BYOK_Role", external_id="x")
    with pytest.raises(ValueError, match="invalid"):
        byokcheck.generate(account_id="1234", region="us-east-1",
                           key_id="1234abcd-12ab-34cd-56ef-1234567890ab",
                           role_name="BYOK_Role", external_id="kore-7f3a9c2e-byok")


def test_bytes_that_are_not_utf8() -> None:
    with pytest.raises(byokcheck.ByokcheckError, match=r"not UTF-8 text \(invalid byte at offset 1\)"):
        byokcheck.check(b"{\xff}", "iam")
    with pytest.raises(byokcheck.ByokcheckError, match=r"`documents\[1\]` is not UTF-8"):
        byokcheck.check_many([b"{}", b"\xc3("])


@pytest.mark.parametrize(
    "call",
    [
        lambda: byokcheck.check(42),  # type: ignore[arg-type]
        lambda: byokcheck.check(None),  # type: ignore[arg-type]
        lambda: byokcheck.check(["{}"]),  # type: ignore[arg-type]
        lambda: byokcheck.check("{}", 3),  # type: ignore[arg-type]
        lambda: byokcheck.check("{}", "iam", role_arn=5),  # type: ignore[arg-type]
        lambda: byokcheck.check("{}", "iam", instance=b"platform.kore.ai"),  # type: ignore[arg-type]
        lambda: byokcheck.check({"Statement": {1, 2}}),
        lambda: byokcheck.check_many(["{}", 1]),  # type: ignore[list-item]
        lambda: byokcheck.check_many(7),  # type: ignore[arg-type]
        lambda: byokcheck.check_arn(None),  # type: ignore[arg-type]
        lambda: byokcheck.rule(12),  # type: ignore[arg-type]
        lambda: byokcheck.verify_setup(iam_policy=3),  # type: ignore[arg-type]
        lambda: byokcheck.verify_setup(policy_attached="yes"),  # type: ignore[arg-type]
        lambda: byokcheck.generate(account_id=1, region="r", key_id="k", role_name="n",  # type: ignore[arg-type]
                                   external_id="e"),
    ],
)
def test_wrong_types_are_type_errors(call: Any) -> None:
    with pytest.raises(TypeError):
        call()


def test_a_type_error_names_the_argument() -> None:
    with pytest.raises(TypeError, match=r"`document` must be str, bytes or a dict, not int"):
        byokcheck.check(42)  # type: ignore[arg-type]
