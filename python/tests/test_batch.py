"""check_many: same results as check, in order, and the GIL is released while the core runs."""

from __future__ import annotations

import threading

from typing import TypedDict

import byokcheck
from byokcheck import _native

class Ctx(TypedDict):
    role_arn: str
    cmk_arn: str
    external_id: str


CONTEXT: Ctx = {
    "role_arn": "arn:aws:iam::111122223333:role/BYOK_Role",
    "cmk_arn": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "external_id": "kore-7f3a9c2e-byok",
}


def test_check_many_equals_check_one_by_one(trust_policy: str) -> None:
    documents: list[byokcheck.Document] = [
        trust_policy, trust_policy.encode(), "{", {"Statement": []}, trust_policy.replace("kore", "x"),
    ] * 20
    many = byokcheck.check_many(iter(documents), **CONTEXT)
    assert many == [byokcheck.check(d, **CONTEXT) for d in documents]
    assert [r.positions_known for r in many[:5]] == [True, True, True, False, True]
    assert byokcheck.check_many([]) == []


def test_the_gil_is_released_during_the_batch(trust_policy: str) -> None:
    documents = [trust_policy] * 40_000
    done = threading.Event()
    ticks = 0

    def batch() -> None:
        # The native call directly: one call that holds the GIL only to read its arguments and
        # build its results.
        _native.check_many(documents, "trust", None, None, "kore-7f3a9c2e-byok")
        done.set()

    worker = threading.Thread(target=batch)
    worker.start()
    while not done.is_set():
        ticks += 1
    worker.join()
    # Holding the GIL for the whole call would leave this thread a handful of ticks.
    assert ticks > 10_000, ticks
