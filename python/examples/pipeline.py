"""Checks every JSON file in a folder (argument 1) against the context in BYOK_EXTERNAL_ID,
BYOK_ROLE_ARN and BYOK_CMK_ARN, and fails the job on blocking findings."""
import os, sys
from pathlib import Path
import byokcheck

reports = {path: byokcheck.check(path.read_bytes(), external_id=os.getenv("BYOK_EXTERNAL_ID"),
                                 role_arn=os.getenv("BYOK_ROLE_ARN"), cmk_arn=os.getenv("BYOK_CMK_ARN"))
           for path in sorted(Path(sys.argv[1]).rglob("*.json"))}
for path, report in reports.items():
    for f in report.findings:
        print(f"{path}:{f.line}:{f.column}: {f.severity.value} {f.code} {f.message}")
sys.exit(0 if all(report.ok for report in reports.values()) else 1)
