#!/usr/bin/env python3
"""Builds the fuzz seed corpora in fuzz/corpus/<target>/ (git-ignored; rebuilt on every run).

Sources: the JSON documents of tests/vectors/** (their `document` field, by `kind`),
tests/fixtures/*/ and examples/*/ (files by name), and a fixed sample of the AWS managed
policies in ../shared/corpus/aws-managed-policies/ (relative to the repository root; skipped
when absent). ARNs for the `arn` target come from the ARN vectors, the vector contexts, the
example configurations and the policies' own `arn:` strings. `verify_setup` seeds are
`iam NUL trust NUL key`, as the target splits its input.

Usage: fuzz/seed.py [OUT_DIR]   (default: fuzz/corpus; one folder per target inside)
"""

import glob
import hashlib
import json
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
CORPUS = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "fuzz", "corpus")
MANAGED = os.path.join(ROOT, "..", "shared", "corpus", "aws-managed-policies")
TARGETS = ["parse", "check_trust", "check_key", "check_iam", "arn", "verify_setup"]
# Larger seeds only slow every execution down; the limit rules have their own tests.
MAX_SEED_BYTES = 40_000
# How many managed policies to sample (every n-th of the sorted list, so the sample is stable).
MANAGED_SAMPLE = 300
MANAGED_FOR_OTHER_KINDS = 60
# The policies hold thousands of `arn:` strings; a stable sample of them is enough.
MAX_ARNS = 500

ARN_RE = re.compile(r"arn:[A-Za-z0-9*?${}_.:/+=,@ -]{3,200}")


def files_named(pattern):
    return sorted(glob.glob(os.path.join(ROOT, pattern), recursive=True))


def read(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return f.read()


def kind_of_file(name):
    if name.startswith("trust"):
        return "trust"
    if name.startswith("key"):
        return "key"
    if name.startswith("iam"):
        return "iam"
    return None


def main():
    docs = {"iam": [], "trust": [], "key": []}
    arns = []
    setups = []

    for path in files_named("tests/vectors/**/*.json"):
        try:
            vector = json.loads(read(path))
        except ValueError:
            continue
        document = vector.get("document")
        if not isinstance(document, str):
            continue
        kind = vector.get("kind")
        if kind in docs:
            docs[kind].append(document)
        else:
            arns.append(document)
        for key in ("role_arn", "cmk_arn", "service_role_arn"):
            value = (vector.get("context") or {}).get(key)
            if isinstance(value, str):
                arns.append(value)

    for folder in files_named("tests/fixtures/*/") + files_named("examples/*/"):
        setup = {}
        for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
            kind = kind_of_file(os.path.basename(path))
            if kind:
                text = read(path)
                docs[kind].append(text)
                if os.path.basename(path) in ("iam-policy.json", "trust-policy.json", "key-policy.json"):
                    setup[kind] = text
        toml = os.path.join(folder, "byokcheck.toml")
        if os.path.exists(toml):
            arns.extend(re.findall(r'"(arn:[^"]*)"', read(toml)))
        if setup:
            setups.append(setup)

    managed = []
    if os.path.isdir(MANAGED):
        names = sorted(n for n in os.listdir(MANAGED) if n.endswith(".json"))
        step = max(1, len(names) // MANAGED_SAMPLE)
        for name in names[::step][:MANAGED_SAMPLE]:
            text = read(os.path.join(MANAGED, name))
            if len(text.encode("utf-8", "surrogateescape")) <= MAX_SEED_BYTES:
                managed.append(text)
    else:
        print(f"seed: {MANAGED} not found; no managed-policy seeds", file=sys.stderr)

    for text in docs["iam"] + docs["trust"] + docs["key"] + managed:
        arns.extend(m.group(0) for m in ARN_RE.finditer(text))

    # Setups: each example as it is, and each vector document in the correct example's setup.
    base = next((s for s in setups if len(s) == 3), {"iam": "", "trust": "", "key": ""})
    for kind in ("iam", "trust", "key"):
        for text in docs[kind]:
            setups.append({**base, kind: text})

    corpora = {
        "parse": docs["iam"] + docs["trust"] + docs["key"] + managed,
        "check_iam": docs["iam"] + managed,
        "check_trust": docs["trust"] + managed[:MANAGED_FOR_OTHER_KINDS],
        "check_key": docs["key"] + managed[:MANAGED_FOR_OTHER_KINDS],
        "arn": sorted(set(arns))[::max(1, len(set(arns)) // MAX_ARNS)],
        "verify_setup": [
            "\0".join(s.get(k, "") for k in ("iam", "trust", "key")) for s in setups
        ],
    }
    for target in TARGETS:
        folder = os.path.join(CORPUS, target)
        os.makedirs(folder, exist_ok=True)
        written = 0
        for text in corpora[target]:
            data = text.encode("utf-8", "surrogateescape")
            if len(data) > MAX_SEED_BYTES and target != "verify_setup":
                continue
            if len(data) > 3 * MAX_SEED_BYTES:
                continue
            name = hashlib.sha1(data).hexdigest()
            path = os.path.join(folder, name)
            if not os.path.exists(path):
                with open(path, "wb") as f:
                    f.write(data)
                written += 1
        total = len(os.listdir(folder))
        print(f"seed: {target:<13} {written:>4} new seeds, {total:>5} files in {os.path.relpath(folder, ROOT)}")


if __name__ == "__main__":
    main()
