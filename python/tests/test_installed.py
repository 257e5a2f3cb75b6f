"""The package under test is the installed wheel, and the README's pipeline example works."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import byokcheck
from byokcheck import _native

REPO = Path(os.environ.get("BYOKCHECK_REPO", Path(__file__).resolve().parents[2]))
PIPELINE = REPO / "python/examples/pipeline.py"


def test_the_wheel_is_imported_not_the_source_tree() -> None:
    package = Path(byokcheck.__file__).resolve().parent
    assert package != (REPO / "python/byokcheck").resolve()
    assert "site-packages" in package.parts
    assert Path(str(_native.__file__)).name.startswith("_native.")
    assert (package / "py.typed").exists() and (package / "_native.pyi").exists()


def run_pipeline(folder: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update({
        "BYOK_EXTERNAL_ID": "kore-7f3a9c2e-byok",
        "BYOK_ROLE_ARN": "arn:aws:iam::210987654321:role/BYOK_Role",
        "BYOK_CMK_ARN": "arn:aws:kms:eu-west-1:210987654321:key/5f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b",
    })
    return subprocess.run([sys.executable, str(PIPELINE), str(folder)], capture_output=True,
                          text=True, env=env, cwd=folder, check=False)


def test_the_pipeline_example_passes_a_correct_folder(tmp_path: Path) -> None:
    for name in ("iam-policy.json", "trust-policy.json", "key-policy.json"):
        shutil.copy(REPO / "examples/kore-ai-correct" / name, tmp_path / name)
    result = run_pipeline(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout


def test_the_pipeline_example_fails_the_job_on_blocking_findings(tmp_path: Path) -> None:
    shutil.copy(REPO / "examples/kore-ai-correct/iam-policy.json", tmp_path / "iam-policy.json")
    (tmp_path / "nested").mkdir()
    shutil.copy(REPO / "examples/trust-without-external-id/trust-policy.json",
                tmp_path / "nested/trust-policy.json")
    result = run_pipeline(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "nested/trust-policy.json:" in result.stdout


def test_the_readme_shows_the_pipeline_example() -> None:
    readme = (REPO / "python/README.md").read_text()
    body = PIPELINE.read_text().split('"""', 2)[2].strip()
    assert body in readme
    assert len([line for line in body.splitlines() if line.strip()]) <= 10
