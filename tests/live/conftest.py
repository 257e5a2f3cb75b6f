"""Fixtures and helpers for the end-to-end tests of `byokcheck live` against a moto server.

- `moto`: one moto server for the session, on 127.0.0.1 and a free port, started from
  `target/live-venv/bin/moto_server`, stopped at the end even when tests fail; its state is
  reset before every test (`POST /moto-api/reset`).
- `start_moto()`: another, private moto server (the test that kills one mid-run).
- `make_setup(aws, ...)`: a correct BYOK setup in moto, built from the documents the real CLI
  generates; each broken setup is the same call with one thing changed.
- `live(setup, ...)`: runs `byokcheck live` with dummy credentials, a temporary HOME and
  `--no-config --endpoint-url`, and checks every run for leaked secrets, an unmasked External ID
  and (for `--format json`) the output contract.
"""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence

import boto3
import botocore.config
import botocore.exceptions
import pytest

REPO = Path(__file__).resolve().parents[2]

ACCOUNT = "123456789012"  # moto's default account
REGION = "us-east-1"
OTHER_REGION = "us-west-2"
ROLE_NAME = "BYOK_Role"
POLICY_NAME = "BYOK_KeyUse"
# Distinctive, so a leak is unmistakable; never real.
ACCESS_KEY_ID = "AKIABYOKCHECKTEST0001"
SECRET_ACCESS_KEY = "byokcheck-test-secret-do-not-print"
# Its last four characters appear nowhere else (not in `byokcheck`, not in hex key ids).
EXTERNAL_ID = "kore-5d1e8b4c-zq7w"
MISSING_KEY_ID = "0badc0de-0000-4000-8000-00000000dead"
DEFAULT_VENDOR_ROLE = "arn:aws:iam::358587034707:role/SegBots-Servers-Role"

INSPECT_STEPS = [
    "caller_identity",
    "role",
    "role_policies",
    "key",
    "key_policy",
    "key_rotation",
    "static_checks",
]
ASSUME_STEPS = [
    "assume_role",
    "describe_key_as_role",
    "generate_data_key",
    "encrypt",
    "decrypt",
    "assume_without_external_id",
    "assume_with_wrong_external_id",
]
STEP_IDS = INSPECT_STEPS + ASSUME_STEPS
STEP_STATUSES = {"passed", "failed", "skipped"}

RUN_TIMEOUT = 60.0  # a normal run against local moto takes about a second
FAULT_BOUND = 20.0  # a run against a dead, dropped or slow endpoint must end within this
MOTO_START_TIMEOUT = 30.0


# --------------------------------------------------------------------------------------------
# The moto server


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def moto_server_executable() -> str:
    candidates = [
        os.environ.get("MOTO_SERVER"),
        str(REPO / "target" / "live-venv" / "bin" / "moto_server"),
        str(Path(sys.executable).parent / "moto_server"),
        shutil.which("moto_server"),
    ]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail(
        "moto_server not found: run scripts/test-live, which creates target/live-venv with "
        "moto[server], or set MOTO_SERVER",
        pytrace=False,
    )


@dataclass
class MotoServer:
    process: subprocess.Popen  # type: ignore[type-arg]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.process.poll() is None

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST", data=b"")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200, f"moto reset answered {response.status}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def start_moto(log_dir: Path, *, attempts: int = 3) -> MotoServer:
    """Starts `moto_server -H 127.0.0.1 -p PORT` and waits (bounded) until `/moto-api/` answers."""
    executable = moto_server_executable()
    last_error = ""
    for attempt in range(attempts):
        port = free_port()
        log = log_dir / f"moto-{port}.log"
        with open(log, "wb") as log_file:
            process = subprocess.Popen(
                [executable, "-H", "127.0.0.1", "-p", str(port)],
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        server = MotoServer(process, port, log)
        deadline = time.monotonic() + MOTO_START_TIMEOUT
        try:
            while time.monotonic() < deadline:
                if not server.alive():
                    last_error = (
                        f"moto_server exited with {process.returncode} on port {port}:\n"
                        f"{server.log_tail()}"
                    )
                    break
                try:
                    with urllib.request.urlopen(f"{server.url}/moto-api/", timeout=2) as r:
                        if r.status == 200:
                            return server
                except (urllib.error.URLError, OSError):
                    pass
                time.sleep(0.2)
            else:
                last_error = (
                    f"moto_server on port {port} did not answer GET /moto-api/ within "
                    f"{MOTO_START_TIMEOUT:.0f} s:\n{server.log_tail()}"
                )
        except BaseException:
            server.stop()
            raise
        server.stop()
    pytest.fail(f"could not start moto after {attempts} attempts: {last_error}", pytrace=False)


@pytest.fixture(scope="session")
def moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    server = start_moto(tmp_path_factory.mktemp("moto"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _fresh_moto(request: pytest.FixtureRequest) -> None:
    """Every test that uses the session server starts from an empty account."""
    if "moto" in request.fixturenames:
        server: MotoServer = request.getfixturevalue("moto")
        assert server.alive(), f"the session's moto server died:\n{server.log_tail()}"
        server.reset()


# --------------------------------------------------------------------------------------------
# boto3 on moto


class Aws:
    """boto3 clients on one moto endpoint, with the dummy credentials."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self._config = botocore.config.Config(retries={"max_attempts": 2, "mode": "standard"})

    def client(self, service: str, region: str = REGION) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=region,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
            config=self._config,
        )

    @property
    def iam(self) -> Any:
        return self.client("iam")

    def kms(self, region: str = REGION) -> Any:
        return self.client("kms", region)

    def snapshot(self) -> Dict[str, Any]:
        """Everything a run could change: roles, policies, attachments, keys and their state."""
        iam = self.iam
        state: Dict[str, Any] = {"roles": {}, "policies": {}, "keys": {}, "users": []}
        for role in iam.list_roles()["Roles"]:
            name = role["RoleName"]
            full = iam.get_role(RoleName=name)["Role"]
            inline = {
                p: iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"]
                for p in iam.list_role_policies(RoleName=name)["PolicyNames"]
            }
            state["roles"][name] = {
                "arn": full["Arn"],
                "trust": full["AssumeRolePolicyDocument"],
                "max_session": full.get("MaxSessionDuration"),
                "attached": sorted(
                    p["PolicyArn"]
                    for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
                ),
                "inline": inline,
                "tags": iam.list_role_tags(RoleName=name).get("Tags", []),
            }
        for policy in iam.list_policies(Scope="Local")["Policies"]:
            arn = policy["Arn"]
            versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
            state["policies"][arn] = {
                "default": policy["DefaultVersionId"],
                "attachments": policy.get("AttachmentCount"),
                "versions": {
                    v["VersionId"]: iam.get_policy_version(
                        PolicyArn=arn, VersionId=v["VersionId"]
                    )["PolicyVersion"]["Document"]
                    for v in versions
                },
            }
        state["users"] = sorted(u["UserName"] for u in iam.list_users()["Users"])
        for region in (REGION, OTHER_REGION):
            kms = self.kms(region)
            for key in kms.list_keys()["Keys"]:
                key_id = key["KeyId"]
                meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
                entry = {
                    k: meta.get(k)
                    for k in ("KeyState", "Enabled", "DeletionDate", "KeySpec", "KeyUsage")
                }
                entry["policy"] = kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"]
                try:
                    entry["rotation"] = kms.get_key_rotation_status(KeyId=key_id)[
                        "KeyRotationEnabled"
                    ]
                except botocore.exceptions.ClientError as e:
                    entry["rotation"] = e.response["Error"]["Code"]
                entry["grants"] = kms.list_grants(KeyId=key_id).get("Grants", [])
                entry["tags"] = kms.list_resource_tags(KeyId=key_id).get("Tags", [])
                state["keys"][f"{region}/{key_id}"] = entry
            state["keys"][f"{region}/aliases"] = sorted(
                a["AliasName"] for a in kms.list_aliases()["Aliases"]
            )
        return state


@pytest.fixture
def aws(moto: MotoServer) -> Aws:
    return Aws(moto.url)


# --------------------------------------------------------------------------------------------
# The CLI


def cli_path() -> Path:
    return Path(os.environ.get("BYOKCHECK_CLI") or REPO / "target" / "debug" / "byokcheck")


@pytest.fixture(scope="session")
def cli() -> Path:
    path = cli_path()
    if not os.access(path, os.X_OK):
        pytest.fail(
            f"{path} is not an executable: build it (cargo build -p byokcheck-cli) or set "
            "BYOKCHECK_CLI; scripts/test-live does both",
            pytrace=False,
        )
    probe = subprocess.run(
        [str(path), "live", "--help"], capture_output=True, text=True, timeout=RUN_TIMEOUT
    )
    if probe.returncode != 0:
        pytest.fail(
            f"`{path} live --help` exited {probe.returncode}: the binary has no `live` "
            f"subcommand (built without the `live` feature?)\n{probe.stderr}",
            pytrace=False,
        )
    return path


def base_env(home: Path) -> Dict[str, str]:
    """A clean environment: dummy credentials, no profile, no instance metadata, a temp HOME."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
        "AWS_EC2_METADATA_DISABLED": "true",
        # Files that do not exist: nothing from the machine's own AWS configuration is read.
        "AWS_CONFIG_FILE": str(home / ".aws" / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / ".aws" / "credentials"),
    }
    for passthrough in ("SYSTEMROOT", "TMPDIR", "LLVM_PROFILE_FILE"):
        if passthrough in os.environ:
            env[passthrough] = os.environ[passthrough]
    return env


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


def check_no_secrets(text: str, what: str) -> None:
    """The dummy credentials, and any session key id from AssumeRole, are never printed."""
    assert SECRET_ACCESS_KEY not in text, f"{what}: the secret access key was printed"
    assert ACCESS_KEY_ID not in text, f"{what}: the access key id was printed"
    session_key = re.search(r"\bASIA[A-Z0-9]{16}\b", text)
    assert session_key is None, f"{what}: a session access key id was printed: {session_key}"


def check_masked(text: str, external_id: str, what: str) -> None:
    """`external_id` appears only with all but its last four characters replaced."""
    assert external_id not in text, f"{what}: the External ID `{external_id}` was printed in full"
    head, tail = external_id[:-4], external_id[-4:]
    assert head not in text, f"{what}: the External ID's first part `{head}` was printed"
    for match in re.finditer(re.escape(tail), text):
        before = text[match.start() - 1] if match.start() > 0 else ""
        assert before and not (before.isalnum() or before in "-_+=,.@:/"), (
            f"{what}: the External ID's end `{tail}` is printed without a mask before it: "
            f"{text[max(0, match.start() - 30) : match.end() + 10]!r}"
        )


@dataclass
class Run:
    args: List[str]
    code: int
    stdout: str
    stderr: str
    elapsed: float
    _json: Any = field(default=None, repr=False)

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def json(self) -> Any:
        assert self._json is not None, f"no JSON output\n{self}"
        return self._json

    def step(self, step_id: str) -> Dict[str, Any]:
        for step in self.json["steps"]:
            if step["id"] == step_id:
                return step  # type: ignore[no-any-return]
        raise AssertionError(f"no step `{step_id}` in {[s['id'] for s in self.json['steps']]}")

    def statuses(self) -> Dict[str, str]:
        return {s["id"]: s["status"] for s in self.json["steps"]}

    def findings(self, kind: Optional[str] = None) -> List[Dict[str, Any]]:
        return [
            finding
            for file in self.json["files"]
            if kind is None or file.get("kind") == kind
            for finding in file["findings"]
        ]

    def unexpected_findings(self) -> List[Dict[str, Any]]:
        """Every finding but A005 (`placeholder-account-id`): moto's account, 123456789012, is
        the documentation's example account."""
        return [f for f in self.findings() if f["code"] != "A005"]

    def codes(self, kind: Optional[str] = None) -> List[str]:
        return [f["code"] for f in self.findings(kind)]

    def __str__(self) -> str:
        return (
            f"$ byokcheck {' '.join(self.args)}\nexit {self.code} after {self.elapsed:.1f} s\n"
            f"--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"
        )


def check_contract(run: Run, assume: bool) -> None:
    """The shape `byokcheck live --format json` promises, on every JSON run."""
    doc = run.json
    assert isinstance(doc, dict), run
    assert doc.get("version") == 1, run
    for key in ("files", "steps", "summary"):
        assert key in doc, f"no `{key}`\n{run}"
    steps = doc["steps"]
    static = next((s for s in steps if s.get("id") == "static_checks"), {})
    if static.get("status") != "skipped":
        assert "items" in doc, f"static_checks ran but there are no `items`\n{run}"
    assert [s.get("id") for s in steps] == STEP_IDS, run
    for step in steps:
        for key in ("id", "title", "action", "status", "duration_ms", "detail"):
            assert key in step, f"step {step.get('id')} has no `{key}`\n{run}"
        assert step["status"] in STEP_STATUSES, step
        assert isinstance(step["title"], str) and step["title"], step
        assert isinstance(step["action"], str), step
        assert isinstance(step["detail"], str), step
        assert isinstance(step["duration_ms"], int) and step["duration_ms"] >= 0, step
        for key in ("error_code", "cause", "fix"):
            assert step.get(key) is None or isinstance(step[key], str), step
    tally = collections.Counter(s["status"] for s in steps)
    summary = doc["summary"]
    assert summary.get("exit_status") == run.code, f"summary.exit_status\n{run}"
    assert {k: summary["steps"].get(k) for k in ("passed", "failed", "skipped")} == {
        k: tally.get(k, 0) for k in ("passed", "failed", "skipped")
    }, run
    if run.code == 0:
        assert tally.get("failed", 0) == 0, run
    if run.code == 1:
        assert tally.get("failed", 0) >= 1, run
    if not assume:
        for step in steps:
            if step["id"] in ASSUME_STEPS:
                assert step["status"] == "skipped", f"{step} ran without --assume\n{run}"
    for file in doc["files"]:
        for key in ("path", "kind", "findings"):
            assert key in file, f"file without `{key}`: {file}"
        for finding in file["findings"]:
            for key in ("code", "name", "severity", "message", "pointer", "line", "column"):
                assert key in finding, f"finding without `{key}`: {finding}"
    for item in doc.get("items", []):
        for key in ("id", "title", "status", "detail", "findings"):
            assert key in item, f"item without `{key}`: {item}"
        assert item["status"] in {"passed", "failed", "not_checked"}, item


def run_cli(
    cli: Path,
    args: Sequence[str],
    *,
    home: Path,
    env: Optional[Dict[str, str]] = None,
    timeout: float = RUN_TIMEOUT,
    cwd: Optional[Path] = None,
) -> Run:
    """Runs the CLI; checks its output for leaked credentials (every run)."""
    started = time.monotonic()
    try:
        done = subprocess.run(
            [str(cli), *args],
            capture_output=True,
            text=True,
            env=env if env is not None else base_env(home),
            cwd=str(cwd or home),
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as e:

        def text(b: Any) -> str:
            return b.decode(errors="replace") if isinstance(b, bytes) else (b or "")

        pytest.fail(
            f"`byokcheck {' '.join(args)}` did not end within {timeout:.0f} s (killed)\n"
            f"--- stdout\n{text(e.stdout)}\n--- stderr\n{text(e.stderr)}",
            pytrace=False,
        )
    run = Run(list(args), done.returncode, done.stdout, done.stderr, time.monotonic() - started)
    check_no_secrets(run.stdout, f"stdout of {run.args[:1]}")
    check_no_secrets(run.stderr, f"stderr of {run.args[:1]}")
    return run


# --------------------------------------------------------------------------------------------
# A BYOK setup in moto


@dataclass
class Setup:
    key_id: str
    cmk_arn: str
    role_arn: str
    external_id: str
    service_role_arn: Optional[str]
    documents: Dict[str, str]  # iam_policy, trust_policy, key_policy: the text deployed
    folder: Path  # the deployed documents as files (for `byokcheck verify`)
    key_region: str = REGION


Edit = Callable[[Dict[str, Any]], None]


def generate(
    cli: Path,
    home: Path,
    out: Path,
    *,
    key_id: str,
    region: str = REGION,
    external_id: str = EXTERNAL_ID,
    service_role_arn: Optional[str] = None,
) -> Dict[str, str]:
    """The three documents `byokcheck generate --format json` writes."""
    args = [
        "generate",
        "--account-id", ACCOUNT,
        "--region", region,
        "--key-id", key_id,
        "--role-name", ROLE_NAME,
        "--external-id", external_id,
        "--format", "json",
        "--out", str(out),
    ]  # fmt: skip
    if service_role_arn:
        args += ["--service-role-arn", service_role_arn]
    run = run_cli(cli, args, home=home)
    assert run.code == 0, f"generate failed\n{run}"
    return {
        "iam_policy": (out / "iam-policy.json").read_text(),
        "trust_policy": (out / "trust-policy.json").read_text(),
        "key_policy": (out / "key-policy.json").read_text(),
    }


def make_setup(
    aws: Aws,
    cli: Path,
    home: Path,
    workdir: Path,
    *,
    key_spec: str = "SYMMETRIC_DEFAULT",
    key_region: str = REGION,
    create_key: bool = True,
    key_state: Optional[str] = None,  # None, "disabled" or "pending_deletion"
    create_role: bool = True,
    attach_policy: bool = True,
    iam_policy: Optional[Edit] = None,
    trust_policy: Optional[Edit] = None,
    key_policy: Optional[Edit] = None,
    service_role_arn: Optional[str] = None,
    external_id: str = EXTERNAL_ID,
) -> Setup:
    """A BYOK setup in moto: the key, the IAM policy, the role, the attachment, the key policy.

    Correct by default (the documents are what `byokcheck generate` writes); each keyword
    breaks one thing. The CMK ARN is always in us-east-1 (`key_region` only moves the key).
    """
    if create_key:
        created = aws.kms(key_region).create_key(
            KeySpec=key_spec, KeyUsage="ENCRYPT_DECRYPT", Description="byokcheck live test"
        )
        key_id = created["KeyMetadata"]["KeyId"]
    else:
        key_id = MISSING_KEY_ID
    generated = generate(
        cli,
        home,
        Path(tempfile.mkdtemp(prefix="generated-", dir=workdir)),
        key_id=key_id,
        external_id=external_id,
        service_role_arn=service_role_arn,
    )
    edits = {"iam_policy": iam_policy, "trust_policy": trust_policy, "key_policy": key_policy}
    documents: Dict[str, str] = {}
    folder = Path(tempfile.mkdtemp(prefix="deployed-", dir=workdir))
    for name, text in generated.items():
        edit = edits[name]
        if edit is not None:
            value = json.loads(text)
            edit(value)
            text = json.dumps(value, indent=4) + "\n"
        documents[name] = text
        (folder / f"{name.replace('_', '-')}.json").write_text(text)

    iam = aws.iam
    policy_arn = iam.create_policy(PolicyName=POLICY_NAME, PolicyDocument=documents["iam_policy"])[
        "Policy"
    ]["Arn"]
    if create_role:
        iam.create_role(RoleName=ROLE_NAME, AssumeRolePolicyDocument=documents["trust_policy"])
        if attach_policy:
            iam.attach_role_policy(RoleName=ROLE_NAME, PolicyArn=policy_arn)
    if create_key:
        kms = aws.kms(key_region)
        kms.put_key_policy(KeyId=key_id, PolicyName="default", Policy=documents["key_policy"])
        if key_state == "disabled":
            kms.disable_key(KeyId=key_id)
        elif key_state == "pending_deletion":
            kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
        elif key_state is not None:
            raise ValueError(f"unknown key_state {key_state!r}")
    return Setup(
        key_id=key_id,
        cmk_arn=f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}",
        role_arn=f"arn:aws:iam::{ACCOUNT}:role/{ROLE_NAME}",
        external_id=external_id,
        service_role_arn=service_role_arn,
        documents=documents,
        folder=folder,
        key_region=key_region,
    )


def offline_setup() -> Setup:
    """ARNs and an External ID for runs that never reach a working server."""
    return Setup(
        key_id=MISSING_KEY_ID,
        cmk_arn=f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{MISSING_KEY_ID}",
        role_arn=f"arn:aws:iam::{ACCOUNT}:role/{ROLE_NAME}",
        external_id=EXTERNAL_ID,
        service_role_arn=None,
        documents={},
        folder=Path("."),
    )


@pytest.fixture
def setup_factory(aws: Aws, cli: Path, home: Path, tmp_path: Path) -> Callable[..., Setup]:
    def factory(**changes: Any) -> Setup:
        return make_setup(aws, cli, home, tmp_path, **changes)

    return factory


@pytest.fixture
def correct_setup(setup_factory: Callable[..., Setup]) -> Setup:
    return setup_factory()


# --------------------------------------------------------------------------------------------
# Running `byokcheck live`


class Live:
    """Runs `byokcheck live` for a setup against an endpoint (the session's moto by default)."""

    def __init__(self, cli: Path, home: Path, endpoint: str) -> None:
        self.cli = cli
        self.home = home
        self.endpoint = endpoint

    def __call__(
        self,
        setup: Setup,
        *extra: str,
        fmt: str = "json",
        endpoint: Optional[str] = None,
        external_id: Optional[str] = None,
        service_role_arn: Optional[str] = None,
        env: Optional[Dict[str, str]] = None,
        timeout: float = RUN_TIMEOUT,
        also_masked: Sequence[str] = (),
    ) -> Run:
        external_id = external_id or setup.external_id
        if service_role_arn is None:
            service_role_arn = setup.service_role_arn  # "" leaves the flag out
        args = [
            "live",
            "--role-arn", setup.role_arn,
            "--cmk-arn", setup.cmk_arn,
            "--external-id", external_id,
            "--no-config",
            "--endpoint-url", endpoint or self.endpoint,
            "--format", fmt,
        ]  # fmt: skip
        if service_role_arn:
            args += ["--service-role-arn", service_role_arn]
        args += list(extra)
        run = run_cli(self.cli, args, home=self.home, env=env, timeout=timeout)
        for sensitive in {external_id, setup.external_id, *also_masked}:
            check_masked(run.stdout, sensitive, "stdout")
            check_masked(run.stderr, sensitive, "stderr")
        if fmt == "json" and run.stdout.strip():
            try:
                run._json = json.loads(run.stdout)
            except json.JSONDecodeError as e:
                raise AssertionError(f"stdout is not one JSON document: {e}\n{run}") from e
            check_contract(run, assume="--assume" in extra)
        return run


@pytest.fixture
def live(cli: Path, home: Path, moto: MotoServer) -> Live:
    return Live(cli, home, moto.url)


@pytest.fixture
def live_anywhere(cli: Path, home: Path) -> Live:
    """`live` for tests that bring their own endpoint (no session moto, no reset)."""
    return Live(cli, home, "http://127.0.0.1:1")
