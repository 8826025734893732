"""Publish reference releases and compare them before and after a refactoring.

A change that only moves code must not change one published byte. ``snapshot DIR``
publishes the seed, every composed evaluation set in ``tests/data/eval*``, the real
corpora beside the repository (when present) and a 200-report generated corpus through
the command line, each under one fixed release name, and records a digest of every file.
``compare DIR`` publishes them again with the code as it is now and names each file whose
bytes differ. Run ``snapshot`` on the old commit, ``compare`` on the new one.

    python scripts/compare_releases.py snapshot /tmp/before
    python scripts/compare_releases.py compare /tmp/before
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT.parent / "shared").resolve()  # one spelling of its path in every checkout
VERSION = "0.0.0-compare"
DATE = "2026-01-01"


def _sets(work: Path, quick: bool) -> dict[str, list[str]]:
    """Name → inputs of every reference release."""
    sets = {"seed": []}
    for folder in sorted(p for p in (ROOT / "tests" / "data").glob("eval*") if p.is_dir()):
        sets[folder.name] = [p.relative_to(ROOT).as_posix() for p in sorted(folder.glob("*.txt"))]
    for name in ("hailar", "real"):
        if (SHARED / "corpus" / name).is_dir():
            sets[f"corpus_{name}"] = [str(SHARED / "corpus" / name)]
    if not quick:
        sys.path.insert(0, str(ROOT))
        from benchmarks.corpus import generate

        # a fixed folder: the published source paths of inputs outside the checkout are
        # absolute, so they must be the same in both runs
        gen = Path(tempfile.gettempdir()) / "heping-compare-generated200"
        shutil.rmtree(gen, ignore_errors=True)
        generate(200, 13, gen, min_kb=2, max_kb=60)
        sets["generated200"] = [str(gen)]
    return sets


def _publish(inputs: list[str], out: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "heping_flows.cli",
        "run",
        *inputs,
        "--output",
        str(out),
        "--release-version",
        VERSION,
        "--release-date",
        DATE,
        "--no-cache",
    ]
    if not (ROOT / "flows" / "heping_flows").is_dir():  # before the flows package was renamed
        cmd[2] = "heping_data.cli"
    # From the checkout, with inputs named relative to it: the published source paths are
    # then the same in every checkout, so two checkouts can be compared.
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise SystemExit(f"compare_releases: {out.name}: run failed:\n{done.stderr[-2000:]}")


def _digests(release: Path) -> dict[str, str]:
    return {
        p.relative_to(release).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(release.rglob("*"))
        if p.is_file()
    }


def publish_all(quick: bool, only: set[str]) -> dict[str, dict[str, str]]:
    """Publish every reference set (or those in ``only``) into a scratch folder."""
    with tempfile.TemporaryDirectory(prefix="heping-compare-") as tmp:
        work = Path(tmp)
        found = {}
        for name, inputs in _sets(work, quick or bool(only)).items():
            if only and name not in only:
                continue
            out = work / name
            _publish(inputs, out)
            found[name] = _digests(out / "releases" / VERSION)
            print(f"{name}: {len(found[name])} files", file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["snapshot", "compare"])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--quick", action="store_true", help="skip the 200-report corpus")
    ap.add_argument("--sets", default="", help="comma-separated set names (compare only)")
    args = ap.parse_args()
    only = {s for s in args.sets.split(",") if s}
    args.quick = args.quick or bool(only)
    ref = args.folder / "digests.json"
    found = publish_all(args.quick, only)
    if args.mode == "snapshot":
        args.folder.mkdir(parents=True, exist_ok=True)
        ref.write_text(json.dumps(found, indent=1, sort_keys=True), encoding="utf-8")
        print(f"snapshot of {len(found)} releases in {ref}")
        return
    want = json.loads(ref.read_text(encoding="utf-8"))
    differ = [
        f"{name}/{f}"
        for name in sorted(found)
        if name in want
        for f in sorted(want[name].keys() | found[name].keys())
        if want[name].get(f) != found[name].get(f)
    ]
    missing = sorted(set(want) - set(found))
    for line in differ + ([] if args.quick else [f"{m}: not published now" for m in missing]):
        print(f"differs: {line}")
    if differ or (missing and not args.quick):  # a partial compare skips sets on purpose
        raise SystemExit(1)
    print(f"all {len(found)} releases byte-identical")


if __name__ == "__main__":
    main()
