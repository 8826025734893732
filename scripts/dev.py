#!/usr/bin/env python3
"""Set up the environment from the lock file, then run the pipeline or the tests.

Needs only python3 (3.11+): it creates ``.venv``, installs the pinned dependencies from
``requirements.lock`` (``requirements-dev.lock`` for the tests) and the package itself,
and remembers what it installed so a second call starts at once.

    python3 scripts/dev.py run [heping-data run options]   # publish the seed into output/
    python3 scripts/dev.py test [pytest options]           # lint and run the test suite
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
BIN = VENV / "bin"


def sh(*cmd: str | Path, **kw: object) -> None:
    """Run a command, stopping with its exit code when it fails."""
    r = subprocess.run([str(c) for c in cmd], cwd=ROOT, **kw)  # type: ignore[call-overload]
    if r.returncode:
        sys.exit(r.returncode)


def ensure_env(lock: str) -> None:
    """Create .venv and install ``lock`` plus the package, unless already done for this lock."""
    if sys.version_info < (3, 11):
        sys.exit(f"python 3.11 or newer is needed (this is {sys.version.split()[0]})")
    if not (BIN / "python").exists():
        sh(sys.executable, "-m", "venv", VENV)
    digest = hashlib.sha256(
        (ROOT / lock).read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    ).hexdigest()[:16]
    stamp = VENV / f".installed-{lock}-{digest}"
    if stamp.exists():
        return
    # a quiet set-up (errors only): no version notice, no warning about running as root
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_ROOT_USER_ACTION": "ignore"}
    sh(BIN / "python", "-m", "pip", "install", "-qq", "-r", ROOT / lock, env=env)
    sh(BIN / "python", "-m", "pip", "install", "-qq", "--no-deps", "-e", ROOT, env=env)
    for old in VENV.glob(f".installed-{lock}-*"):
        old.unlink()
    stamp.touch()


#: Debian packages the browser test needs (the landing page rendered headless, with CJK glyphs).
BROWSER_PACKAGES = ("chromium", "chromium-driver", "fonts-wqy-zenhei")


def ensure_browser() -> None:
    """Install headless Chromium from Debian once, when we can (root with apt-get).

    Without it the browser test skips with its reason, so a developer's machine without
    root still runs the rest of the suite; CI runs as root and gets the real check.
    """
    if Path("/usr/bin/chromium").exists() and Path("/usr/bin/chromedriver").exists():
        return
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        print(
            "dev.py: warning: chromium is missing and cannot be installed here (needs root "
            "and apt-get); the landing-page browser test will be skipped",
            file=sys.stderr,
        )
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    steps = (
        [apt, "update", "-qq"],
        [apt, "install", "-y", "-qq", "--no-install-recommends", *BROWSER_PACKAGES],
    )
    for cmd in steps:
        r = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if r.returncode:
            print(
                f"dev.py: warning: {' '.join(cmd[:2])} failed ({r.returncode}); the "
                f"landing-page browser test will be skipped\n{r.stderr[-2000:]}",
                file=sys.stderr,
            )
            return


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "test", "env"):
        sys.exit(__doc__)
    cmd, rest = sys.argv[1], sys.argv[2:]
    if cmd == "run":
        ensure_env("requirements.lock")
        sh(BIN / "heping-data", "run", *rest)
    elif cmd == "env":
        ensure_env("requirements-dev.lock")
    else:
        ensure_env("requirements-dev.lock")
        ensure_browser()
        sh(BIN / "ruff", "check", "src", "flows", "tests", "scripts", "benchmarks")
        sh(BIN / "python", "-m", "pytest", *rest)


if __name__ == "__main__":
    main()
