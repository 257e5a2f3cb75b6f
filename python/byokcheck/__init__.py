"""Static checks for AWS KMS Bring-Your-Own-Key setups.

IAM identity policies (``"iam"``), role trust policies (``"trust"``), KMS key policies
(``"key"``) and pasted ARNs (``"role_arn"``, ``"key_arn"``), checked by the same Rust core as the
``byokcheck`` CLI and the npm package.

Bad policies are findings, never exceptions. Wrong argument types raise ``TypeError``; options
that cannot work (an unknown kind or rule code, inputs ``generate`` cannot build a setup from,
bytes that are not UTF-8) raise :class:`ByokcheckError`, a ``ValueError``.

This module only converts: every result is the core's JSON contract (the CLI's
``--format json``) wrapped in frozen classes whose ``to_dict()`` gives that contract back.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from typing import Any, Iterable, Literal, Mapping, Optional, Union

from . import _native
from ._native import ByokcheckError

__version__: str = _native.__version__

__all__ = [
    "ByokcheckError",
    "Context",
    "Detection",
    "Document",
    "DocumentReport",
    "Finding",
    "GeneratedSetup",
    "ItemStatus",
    "Kind",
    "Report",
    "RuleDocumentation",
    "RuleSummary",
    "SetupReport",
    "Severity",
    "Span",
    "VerificationItem",
    "__version__",
    "check",
    "check_arn",
    "check_many",
    "detect_kind",
    "generate",
    "rule",
    "rules",
    "verify_setup",
]

Kind = Literal["iam", "trust", "key", "role_arn", "key_arn"]
"""What a checked text is: a policy of one of three kinds, or a pasted ARN."""

ItemStatus = Literal["passed", "failed", "not_checked"]

Document = Union[str, bytes, Mapping[str, Any]]
"""A policy as text, UTF-8 bytes, or already parsed (then positions are not the caller's)."""

DEFAULT_INSTANCE = "platform.kore.ai"


class Severity(enum.Enum):
    """IAM Access Analyzer's four finding levels, most severe first."""

    ERROR = "error"
    SECURITY_WARNING = "security_warning"
    WARNING = "warning"
    SUGGESTION = "suggestion"

    @property
    def blocking(self) -> bool:
        """True for ``error`` and ``security_warning``: the levels that fail a setup."""
        return self is Severity.ERROR or self is Severity.SECURITY_WARNING


@dataclass(frozen=True)
class Span:
    """A half-open byte range ``[start, end)`` into the checked text (UTF-8 bytes)."""

    start: int
    end: int

    def to_dict(self) -> dict[str, int]:
        return {"start": self.start, "end": self.end}


@dataclass(frozen=True, repr=False)
class Finding:
    """One problem, located in the checked text. Lines and columns are 1-based; columns count
    characters."""

    code: str
    name: str
    severity: Severity
    message: str
    pointer: str
    span: Span
    line: int
    column: int
    end_line: int
    end_column: int
    help: Optional[str]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        span = data["span"]
        return cls(
            data["code"],
            data["name"],
            Severity(data["severity"]),
            data["message"],
            data["pointer"],
            Span(span["start"], span["end"]),
            data["line"],
            data["column"],
            data["end_line"],
            data["end_column"],
            data.get("help"),
        )

    def to_dict(self) -> dict[str, Any]:
        """The finding as the CLI's ``--format json`` writes it."""
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "pointer": self.pointer,
            "span": self.span.to_dict(),
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "help": self.help,
        }

    def __repr__(self) -> str:
        return (
            f"Finding({self.code} {self.name}, {self.severity.value} at "
            f"{self.line}:{self.column}, message={self.message!r})"
        )


def _findings(items: Iterable[Mapping[str, Any]]) -> tuple[Finding, ...]:
    return tuple(map(Finding.from_dict, items))


def _findings_dicts(findings: tuple[Finding, ...]) -> list[dict[str, Any]]:
    return [f.to_dict() for f in findings]


@dataclass(frozen=True, repr=False)
class Report:
    """The findings for one checked text, sorted by position, then by code.

    ``reason`` says why the document was checked as ``kind`` when the kind was detected.
    ``positions_known`` is False when the document was given as a parsed ``dict``: its findings'
    spans, lines and columns then refer to ``json.dumps(document, indent=2)``, not to any text
    of the caller's; ``Finding.pointer`` still names the element.
    """

    kind: Kind
    findings: tuple[Finding, ...]
    reason: Optional[str] = None
    positions_known: bool = True

    @property
    def blocking(self) -> tuple[Finding, ...]:
        """The findings at ``error`` or ``security_warning`` level."""
        return tuple(f for f in self.findings if f.severity.blocking)

    @property
    def ok(self) -> bool:
        """True when no finding is at ``error`` or ``security_warning`` level."""
        return not any(f.severity.blocking for f in self.findings)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, positions_known: bool = True) -> Report:
        return cls(data["kind"], _findings(data["findings"]), data.get("reason"), positions_known)

    def to_dict(self) -> dict[str, Any]:
        """The CLI's ``--format json`` file entry for this document, without ``path``."""
        entry: dict[str, Any] = {"kind": self.kind}
        if self.reason is not None:
            entry["reason"] = self.reason
        entry["findings"] = _findings_dicts(self.findings)
        return entry

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.code} {f.severity.value} {f.line}:{f.column}" for f in self.findings
        )
        return f"Report(kind={self.kind!r}, ok={self.ok}, findings=[{shown}])"


@dataclass(frozen=True)
class DocumentReport:
    """One input of a setup verification: a policy (``iam_policy``, ``trust_policy``,
    ``key_policy``) or a shared ARN (``role_arn``, ``cmk_arn``)."""

    name: str
    kind: Kind
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "findings": _findings_dicts(self.findings)}


@dataclass(frozen=True)
class VerificationItem:
    """One line of the setup guide's verification table."""

    id: str
    title: str
    status: ItemStatus
    detail: str
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "findings": _findings_dicts(self.findings),
        }


@dataclass(frozen=True)
class SetupReport:
    """The whole-setup verification: the guide's items and each checked input."""

    items: tuple[VerificationItem, ...]
    documents: tuple[DocumentReport, ...]

    @property
    def passed(self) -> bool:
        """True when no item failed (items not checked do not fail)."""
        return all(item.status != "failed" for item in self.items)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SetupReport:
        return cls(
            tuple(
                VerificationItem(
                    i["id"], i["title"], i["status"], i["detail"], _findings(i["findings"])
                )
                for i in data["items"]
            ),
            tuple(
                DocumentReport(d["name"], d["kind"], _findings(d["findings"]))
                for d in data["documents"]
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": [i.to_dict() for i in self.items],
            "documents": [d.to_dict() for d in self.documents],
        }


@dataclass(frozen=True)
class Context:
    """The setup context: the vendor's side and what the customer shares."""

    instance: Optional[str] = None
    service_role_arn: Optional[str] = None
    external_id: Optional[str] = None
    role_arn: Optional[str] = None
    cmk_arn: Optional[str] = None

    def to_dict(self) -> dict[str, Optional[str]]:
        return {
            "instance": self.instance,
            "service_role_arn": self.service_role_arn,
            "external_id": self.external_id,
            "role_arn": self.role_arn,
            "cmk_arn": self.cmk_arn,
        }


@dataclass(frozen=True)
class GeneratedSetup:
    """The documents a setup needs, and the context they verify clean against."""

    context: Context
    iam_policy: str
    trust_policy: str
    key_policy_statement: str
    key_policy: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "context": self.context.to_dict(),
            "iam_policy": self.iam_policy,
            "trust_policy": self.trust_policy,
            "key_policy_statement": self.key_policy_statement,
            "key_policy": self.key_policy,
        }


@dataclass(frozen=True)
class RuleSummary:
    """One line of the rule list. ``kinds[0]`` is the kind its examples are checked as."""

    code: str
    name: str
    severity: Severity
    kinds: tuple[Kind, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "kinds": list(self.kinds),
        }


@dataclass(frozen=True)
class RuleDocumentation:
    """A rule with its documentation (Markdown) and its Bad and Good examples."""

    code: str
    name: str
    severity: Severity
    kinds: tuple[Kind, ...]
    docs: str
    bad_example: Optional[str]
    #: The context the Bad example is checked with (the Good one uses the example context).
    bad_example_context: Context
    good_example: Optional[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "kinds": list(self.kinds),
            "docs": self.docs,
            "bad_example": self.bad_example,
            "bad_example_context": self.bad_example_context.to_dict(),
            "good_example": self.good_example,
        }


@dataclass(frozen=True)
class Detection:
    """A detected policy kind (``iam``, ``trust`` or ``key``) and the reason for it."""

    kind: Kind
    reason: str


def _text(document: Document) -> tuple[Union[str, bytes], bool]:
    """The text to check and whether positions refer to the caller's own text."""
    if isinstance(document, Mapping):
        return json.dumps(document, indent=2), False
    return document, True


def check(
    document: Document,
    kind: Optional[Kind] = None,
    *,
    role_arn: Optional[str] = None,
    cmk_arn: Optional[str] = None,
    external_id: Optional[str] = None,
    instance: Optional[str] = DEFAULT_INSTANCE,
    service_role_arn: Optional[str] = None,
) -> Report:
    """Checks a policy (or, with ``kind="role_arn"``/``"key_arn"``, a pasted ARN).

    With ``kind=None`` the policy kind is detected and ``Report.reason`` says why.
    """
    if type(document) is str:
        positions_known = True
    else:
        document, positions_known = _text(document)
    data = _native.check(
        document, kind, role_arn, cmk_arn, external_id, instance, service_role_arn
    )
    return Report(data["kind"], _findings(data["findings"]), data.get("reason"), positions_known)


def check_many(
    documents: Iterable[Document],
    kind: Optional[Kind] = None,
    *,
    role_arn: Optional[str] = None,
    cmk_arn: Optional[str] = None,
    external_id: Optional[str] = None,
    instance: Optional[str] = DEFAULT_INSTANCE,
    service_role_arn: Optional[str] = None,
) -> list[Report]:
    """Checks many documents with one context, in order, without holding the GIL and on
    several threads for large batches. Text is read in place, not copied, on Python 3.10+."""
    texts: list[Union[str, bytes]] = []
    known: list[bool] = []
    for document in documents:
        text, positions_known = _text(document)
        texts.append(text)
        known.append(positions_known)
    results = _native.check_many(
        texts, kind, role_arn, cmk_arn, external_id, instance, service_role_arn
    )
    return [
        Report(d["kind"], _findings(d["findings"]), d.get("reason"), k)
        for d, k in zip(results, known)
    ]


def check_arn(arn: Union[str, bytes], as_: Optional[Kind] = None) -> Report:
    """Checks a pasted ARN as a role ARN or a key ARN (``as_``), or as whichever it looks like.
    Text that is neither gets ``not-an-arn``, in a report of kind ``role_arn``."""
    return Report.from_dict(_native.check_arn(arn, as_))


def detect_kind(document: Document) -> Detection:
    """Which of the three policy kinds a document is, and why."""
    text, _ = _text(document)
    data = _native.detect_kind(text)
    return Detection(data["kind"], data["reason"])


def verify_setup(
    *,
    iam_policy: Optional[Document] = None,
    trust_policy: Optional[Document] = None,
    key_policy: Optional[Document] = None,
    policy_attached: Optional[bool] = None,
    role_arn: Optional[str] = None,
    cmk_arn: Optional[str] = None,
    external_id: Optional[str] = None,
    instance: Optional[str] = DEFAULT_INSTANCE,
    service_role_arn: Optional[str] = None,
) -> SetupReport:
    """Verifies any of the three documents and the ARNs against each other and the context."""
    texts = [None if d is None else _text(d)[0] for d in (iam_policy, trust_policy, key_policy)]
    data = _native.verify_setup(
        texts[0],
        texts[1],
        texts[2],
        policy_attached,
        role_arn,
        cmk_arn,
        external_id,
        instance,
        service_role_arn,
    )
    return SetupReport.from_dict(data)


def generate(
    *,
    account_id: str,
    region: str,
    key_id: str,
    role_name: str,
    external_id: str,
    instance: Optional[str] = DEFAULT_INSTANCE,
    service_role_arn: Optional[str] = None,
) -> GeneratedSetup:
    """Writes the IAM policy, the trust policy, the key-policy statement and a complete key
    policy. Inputs that cannot make a valid setup raise :class:`ByokcheckError`."""
    data = _native.generate(
        account_id, region, key_id, role_name, external_id, instance, service_role_arn
    )
    return GeneratedSetup(
        Context(**data["context"]),
        data["iam_policy"],
        data["trust_policy"],
        data["key_policy_statement"],
        data["key_policy"],
    )


def rules() -> list[RuleSummary]:
    """Every rule, in code order."""
    return [
        RuleSummary(r["code"], r["name"], Severity(r["severity"]), tuple(r["kinds"]))
        for r in _native.rules()
    ]


def rule(code_or_name: str) -> RuleDocumentation:
    """One rule's documentation, by code (``G101``) or name (``duplicate-key``)."""
    r = _native.rule(code_or_name)
    return RuleDocumentation(
        r["code"],
        r["name"],
        Severity(r["severity"]),
        tuple(r["kinds"]),
        r["docs"],
        r["bad_example"],
        Context(**r["bad_example_context"]),
        r["good_example"],
    )
