"""Run every benchmark in turn (`make bench`); each prints its own figures and goal lines."""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    ["phi.py"],
    ["pages.py"],
    ["pages.py", "--database", "postgresql"],
    ["dashboard.py"],
    ["reports.py"],
    ["aggregate.py"],
    ["ncci_load.py"],
    ["reference_load.py"],
    ["toolkit.py"],
    ["remittance.py"],
    ["precheck.py"],
]


def main() -> int:
    failed = []
    for script in SCRIPTS:
        if not (HERE / script[0]).exists():
            continue
        print(f"\n=== bench/{' '.join(script)} ===", flush=True)
        if subprocess.run([sys.executable, str(HERE / script[0]), *script[1:]], cwd=HERE).returncode != 0:
            failed.append(" ".join(script))
    if failed:
        print(f"\nbenchmarks that failed to run: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
