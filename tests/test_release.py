"""The release as users get it: landing page, readers' types, crash safety, committed copy."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest

from heping_data.release import publish as publish_mod
from heping_data.release.landing import landing_page
from heping_data.run import corpus
from heping_data.tables.schema import tables
from heping_data.validate import checks as validate

from .conftest import REPORTS, ROOT, SEED
from .procs import verify
from .runs import extract_inputs, extracted

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def merged() -> corpus.BatchResult:
    inputs = corpus.discover([SEED, REPORTS / "small_report.txt"])
    return extract_inputs(inputs)


@pytest.fixture(scope="module")
def release(merged, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release")
    frames = corpus.frames_of(merged)
    info = corpus.release_info(merged, "r1", "2024-03-01")
    return publish_mod.publish(frames, merged.texts, out, info)


# --- landing page -------------------------------------------------------------------------


def test_landing_page_is_self_contained_and_links_resolve(release):
    page = (release / "index.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page and '<html lang="zh-CN">' in page
    assert "r1" in page and "2024-03-01" in page
    # Nothing is fetched when the page is viewed: no external scripts, styles or images.
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=", page)
    assert not re.search(r"<link[^>]*href=\"(?!data:)", page)
    assert "@import" not in page and "url(" not in page
    assert page.count("<svg") >= 4
    hrefs = re.findall(r'href="([^"#]*)"', page)
    local = [h for h in hrefs if not h.startswith(("https://", "http://", "data:"))]
    for h in local:
        assert (release / h).is_file(), f"index.html links to missing {h}"
    pkg = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    for r in pkg["resources"]:
        assert f'href="{r["path"]}"' in page, f"no download link for {r['path']}"
    for f in ("datapackage.json", "SHA256SUMS"):
        assert f'href="{f}"' in page
    for t in tables().values():
        for c in t.columns:
            assert f"<code>{c.name}</code>" in page, f"{t.name}.{c.name} not in the dictionary"


def test_landing_page_is_deterministic_and_escapes_data(merged):
    frames = corpus.frames_of(merged)
    info = corpus.release_info(merged, "r1", "2024-03-01")
    pkg = {"resources": [], "x-code-version": "x"}
    assert landing_page(frames, info, pkg) == landing_page(frames, info, pkg)
    secs = frames["sections"].copy()
    sid = frames["numeric_facts"]["section_id"].iloc[0]
    secs.loc[secs["section_id"] == sid, "heading"] = '<script>alert("x")</script>&'
    frames = {**frames, "sections": secs}
    page = landing_page(frames, info, pkg)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in page


def test_landing_page_handles_an_empty_release(merged):
    frames = {name: df.iloc[0:0] for name, df in corpus.frames_of(merged).items()}
    page = landing_page(frames, publish_mod.ReleaseInfo(version="empty"), {"resources": []})
    assert "No rows." in page and "empty" in page


def _chrome_driver(profile: str):
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never try to download
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for a in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1200,1600",
    ):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_landing_page_renders_in_headless_chromium(release, tmp_path):
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("chromium/chromium-driver not installed (python3 scripts/dev.py test does it)")
    pytest.importorskip("selenium")
    driver = _chrome_driver(str(tmp_path / "profile"))
    try:
        driver.get((release / "index.html").as_uri())
        assert driver.title.endswith("r1")
        svgs = driver.execute_script(
            "return Array.from(document.querySelectorAll('svg')).map("
            "s => s.getBoundingClientRect().width)"
        )
        assert len(svgs) >= 4 and all(w > 100 for w in svgs)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1200, min(int(height) + 40, 8000))
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "landing.png"
        assert driver.save_screenshot(str(shot))
        logs = driver.get_log("browser")
    finally:
        driver.quit()
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 20_000
    assert logs == [], f"console messages: {logs}"


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_landing_page_speaks_to_a_non_chinese_reader(release, tmp_path):
    # English glosses beside Chinese chart labels, a plain caveat on masked digits, and
    # one rounding of the masked share wherever it is shown.
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("chromium/chromium-driver not installed (python3 scripts/dev.py test does it)")
    pytest.importorskip("selenium")
    from selenium.webdriver.common.by import By

    facts = pd.read_parquet(release / "numeric_facts.parquet")
    masked, total = int(facts.is_masked.sum()), len(facts)
    share = f"{masked / total:.1%}"
    driver = _chrome_driver(str(tmp_path / "profile"))
    try:
        driver.get((release / "index.html").as_uri())
        caveat = driver.find_element(By.ID, "masked-caveat")
        assert caveat.is_displayed()
        assert "*" in caveat.text and "never guessed" in caveat.text
        assert f"{masked} of {total} numeric facts ({share})" in caveat.text
        glosses = [g for g in driver.find_elements(By.CSS_SELECTOR, "dl.gloss") if g.is_displayed()]
        text = " ".join(g.text for g in glosses)
        assert "yuan (CNY)" in text  # a unit
        assert "epidemic prevention and control" in text  # a section heading's term
        tips = driver.execute_script(
            "return Array.from(document.querySelectorAll('svg rect title')).map(t => t.textContent)"
        )
        card = driver.execute_script(
            "return Array.from(document.querySelectorAll('.card')).map(c => c.textContent)"
        )
    finally:
        driver.quit()
    shares = {re.search(r"\(([\d.]+%)\)", t).group(1) for t in tips if t.startswith("masked:")}
    assert share in shares
    assert any(c.startswith(share) and "masked" in c for c in card), card
    assert not any(re.search(r"\d+\.\d{2,}%", t) for t in tips + card)


# --- Parquet read back by every tool with the declared types ------------------------------

_PANDAS = {
    "integer": {"Int64", "int64"},
    "number": {"Float64", "float64"},
    "boolean": {"boolean", "bool"},
    "string": {"string", "str", "object"},
}
_POLARS = {
    "integer": {"Int64"},
    "number": {"Float64"},
    "boolean": {"Boolean"},
    "string": {"String"},
}
_DUCKDB = {
    "integer": {"BIGINT"},
    "number": {"DOUBLE"},
    "boolean": {"BOOLEAN"},
    "string": {"VARCHAR"},
}


def _expected(col, table: dict[str, set[str]], enum_types: set[str]) -> set[str]:
    return enum_types if col.enum is not None and col.type == "string" else table[col.type]


def test_pandas_reads_parquet_with_declared_types(release):
    for t in tables().values():
        df = pd.read_parquet(release / f"{t.name}.parquet")  # the analyst's one-liner
        assert list(df.columns) == t.column_names
        for c in t.columns:
            got = str(df[c.name].dtype)
            assert got in _expected(c, _PANDAS, {"category"}), f"{t.name}.{c.name}: {got}"


def test_polars_reads_parquet_with_declared_types(release):
    pl = pytest.importorskip("polars")
    for t in tables().values():
        df = pl.read_parquet(release / f"{t.name}.parquet")
        assert df.columns == t.column_names
        for c in t.columns:
            got = str(df.schema[c.name])
            assert got in _expected(c, _POLARS, {"Categorical", "String"}), f"{t.name}.{c.name}"


def test_duckdb_reads_parquet_with_declared_types_and_nulls(release, merged):
    duckdb = pytest.importorskip("duckdb")
    frames = corpus.frames_of(merged)
    con = duckdb.connect()
    for t in tables().values():
        path = str(release / f"{t.name}.parquet")
        desc = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [path]).fetchall()
        assert [d[0] for d in desc] == t.column_names
        for (name, typ, *_), c in zip(desc, t.columns, strict=True):
            assert typ in _expected(c, _DUCKDB, {"VARCHAR"}), f"{t.name}.{name}: {typ}"
        for c in t.columns:
            nulls = con.execute(
                f'SELECT count(*) - count("{c.name}") FROM read_parquet(?)', [path]
            ).fetchone()[0]
            assert nulls == int(frames[t.name][c.name].isna().sum()), f"{t.name}.{c.name}"


# --- a publish killed partway leaves the previous release intact --------------------------

_CHILD = """
import pickle, sys
from pathlib import Path
from heping_data.release.publish import publish
frames, texts, info_v1, info_v2 = pickle.loads(Path(sys.argv[1]).read_bytes())
out = Path(sys.argv[2])
print("ready", flush=True)
while True:  # republish over v1 (atomic swap) and publish v2 (new folder + latest)
    publish(frames, texts, out, info_v1)
    publish(frames, texts, out, info_v2)
"""


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_publish_killed_partway_leaves_previous_release_intact(merged, tmp_path):
    frames = corpus.frames_of(merged)
    v1 = corpus.release_info(merged, "v1", "2024-03-01")
    v2 = corpus.release_info(merged, "v2", "2024-03-02")
    out = tmp_path / "out"
    first = publish_mod.publish(frames, merged.texts, out, v1)
    reference = (first / "SHA256SUMS").read_bytes()
    state = tmp_path / "state.pickle"
    state.write_bytes(pickle.dumps((frames, merged.texts, v1, v2)))
    t0 = time.perf_counter()
    publish_mod.publish(frames, merged.texts, tmp_path / "timing", v1)
    one = time.perf_counter() - t0
    rng = random.Random()
    seed = rng.randrange(1 << 30)
    rng.seed(seed)
    for trial in range(6):
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(state), str(out)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        delay = rng.uniform(0, 3 * one)
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        where = f"seed {seed}, trial {trial}, killed after {delay:.3f}s"
        # The previous release: complete, unchanged in content (v1 is rewritten identically).
        verify(out / "releases" / "v1")
        assert (out / "releases" / "v1" / "SHA256SUMS").read_bytes() == reference, where
        latest = out / "latest"
        assert latest.is_symlink(), where
        assert latest.resolve().parent == (out / "releases").resolve(), where
        verify(latest.resolve())
        if (out / "releases" / "v2").exists():
            verify(out / "releases" / "v2")
        assert sorted(p.name for p in (out / "releases").iterdir()) in (["v1"], ["v1", "v2"])
    # The next run cleans what the killed ones left and publishes normally.
    final = publish_mod.publish(frames, merged.texts, out, v1)
    verify(final)
    assert not list(out.glob(".building-*"))


# --- the release committed under output/ is what the code produces -----------------------


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_release_embeds_no_local_paths(release):
    """A fresh clone elsewhere must rebuild the same bytes: no checkout path in any file."""
    needles = {str(ROOT).encode(), tempfile.gettempdir().encode() + b"/"}
    for p in sorted(release.rglob("*")):
        if p.is_file():
            data = p.read_bytes()
            found = [n.decode() for n in needles if n in data]
            assert not found, f"{p.name} contains the local path {found}"


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_committed_release_is_regenerated_byte_for_byte(tmp_path):
    committed = ROOT / "output" / "latest"
    assert committed.is_dir(), (
        "output/latest is missing: publish the seed release with `python3 scripts/dev.py run`"
    )
    pkg = json.loads((committed / "datapackage.json").read_text(encoding="utf-8"))
    m = extracted(None)
    frames = corpus.frames_of(m)
    validate.check(frames, m.texts)
    default = corpus.release_info(m, params=corpus.naming_params())  # as `dev.py run` names it
    info = corpus.release_info(m, pkg["version"], None)
    rebuilt = publish_mod.publish(frames, m.texts, tmp_path, info)
    want, got = _digests(committed), _digests(rebuilt)
    differ = sorted(k for k in want.keys() | got.keys() if want.get(k) != got.get(k))
    assert not differ and default.version == pkg["version"], (
        f"output/latest ({pkg['version']}) is stale; regenerated {default.version}; files that "
        f"differ: {differ}. Regenerate with `python3 scripts/dev.py run`."
    )
