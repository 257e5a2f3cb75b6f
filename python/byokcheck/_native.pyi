# The private native module. Its results are the core's serde contract as plain dicts and
# lists; `byokcheck/__init__.py` turns them into the typed, frozen classes.
from typing import Any, Iterable, Optional, Union

__all__ = [
    "ByokcheckError",
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

__version__: str

class ByokcheckError(ValueError): ...

_Text = Union[str, bytes]

def check(
    document: _Text,
    kind: Optional[str] = None,
    role_arn: Optional[str] = None,
    cmk_arn: Optional[str] = None,
    external_id: Optional[str] = None,
    instance: Optional[str] = None,
    service_role_arn: Optional[str] = None,
) -> dict[str, Any]: ...
def check_many(
    documents: Iterable[_Text],
    kind: Optional[str] = None,
    role_arn: Optional[str] = None,
    cmk_arn: Optional[str] = None,
    external_id: Optional[str] = None,
    instance: Optional[str] = None,
    service_role_arn: Optional[str] = None,
) -> list[dict[str, Any]]: ...
def check_arn(arn: _Text, as_kind: Optional[str] = None) -> dict[str, Any]: ...
def detect_kind(document: _Text) -> dict[str, Any]: ...
def verify_setup(
    iam_policy: Optional[_Text] = None,
    trust_policy: Optional[_Text] = None,
    key_policy: Optional[_Text] = None,
    policy_attached: Optional[bool] = None,
    role_arn: Optional[str] = None,
    cmk_arn: Optional[str] = None,
    external_id: Optional[str] = None,
    instance: Optional[str] = None,
    service_role_arn: Optional[str] = None,
) -> dict[str, Any]: ...
def generate(
    account_id: str,
    region: str,
    key_id: str,
    role_name: str,
    external_id: str,
    instance: Optional[str] = None,
    service_role_arn: Optional[str] = None,
) -> dict[str, Any]: ...
def rules() -> list[dict[str, Any]]: ...
def rule(code: str) -> dict[str, Any]: ...
