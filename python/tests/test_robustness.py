"""No Rust panic reaches Python: mutated vectors and random text, every kind, all findings."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import byokcheck

ROOT = Path(os.environ.get("BYOKCHECK_REPO", Path(__file__).resolve().parents[2]))
TOKENS = [
    '"', "{", "}", "[", "]", ",", ":", "\\", "\\u00", "\n", " ", "é", "😀", "\x00", "*", "?",
    '"Statement"', '"Principal"', '"Condition"', '"StringEquals"', '"sts:ExternalId"',
    '"kms:*"', '"arn:aws:iam::', ":role/", "arn:aws:kms:", ":key/", "alias/", "${aws:username}",
    '"Version"', '"2012-10-17"', "1e999", "-0", "true", "null",
]
KINDS: list[byokcheck.Kind | None] = ["iam", "trust", "key", "role_arn", "key_arn", None]


def seeds() -> list[str]:
    texts = [
        json.loads(p.read_text(encoding="utf-8"))["document"]
        for p in sorted((ROOT / "tests/vectors").rglob("*.json"))
    ]
    return [t for t in texts if len(t) < 20_000]


def mutate(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(text))
        choice = rng.random()
        if choice < 0.4:
            text = text[:at] + rng.choice(TOKENS) + text[at:]
        elif choice < 0.7:
            text = text[:at] + text[at + rng.randint(1, 8):]
        elif choice < 0.85:
            text = text[:at]
        else:
            text = text[:at] + chr(rng.randint(1, 0x10FFFF) if rng.random() < 0.3 else rng.randint(1, 255)) + text[at:]
    return text.encode("utf-8", "replace").decode("utf-8")


def check_all_kinds(text: str) -> None:
    for kind in KINDS:
        report = byokcheck.check(text, kind, role_arn="arn:aws:iam::111122223333:role/BYOK_Role",
                                 external_id="kore-7f3a9c2e-byok")
        for finding in report.findings:
            assert 1 <= finding.line <= finding.end_line
            assert 0 <= finding.span.start <= finding.span.end <= len(text.encode())


def test_mutated_vectors_never_raise() -> None:
    rng = random.Random(7)
    bases = seeds()
    assert bases
    for _ in range(600):
        check_all_kinds(mutate(rng, rng.choice(bases)))


def test_random_text_never_raises() -> None:
    rng = random.Random(11)
    for _ in range(300):
        text = "".join(rng.choice(TOKENS) for _ in range(rng.randint(0, 60)))
        check_all_kinds(text)
        byokcheck.check_arn(text)
        byokcheck.detect_kind(text)
        byokcheck.verify_setup(iam_policy=text, trust_policy=text, key_policy=text,
                               role_arn=text, cmk_arn=text, external_id=text)
