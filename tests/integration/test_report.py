"""The version report: written at publish time, self-contained, and readable in a real browser."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pyarrow.dataset as ds
import pytest
from PIL import Image

from pipeline import versions
from pipeline.cli import main
from pipeline.report import REPORT_NAME

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars"]
WINDOW = (1200, 1800)


def chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    assert Path(CHROMIUM).exists(), "chromium is missing: `make system-deps` installs it"
    profile.mkdir(exist_ok=True)
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
                          capture_output=True, text=True, timeout=180, check=True)


@pytest.fixture(scope="module")
def rendered(two_versions, tmp_path_factory) -> dict:
    """The latest report as Chromium shows it: a screenshot and the DOM after rendering."""
    work = tmp_path_factory.mktemp("chromium")
    page = two_versions / "latest" / REPORT_NAME
    shot = work / "report.png"
    chromium(page, work / "profile-shot", f"--screenshot={shot}", f"--window-size={WINDOW[0]},{WINDOW[1]}")
    dom = chromium(page, work / "profile-dom", "--dump-dom").stdout
    return {"root": two_versions, "page": page, "png": shot, "dom": dom}


def test_publish_writes_a_report_into_every_version(two_versions):
    for version in versions.list_versions(two_versions):
        assert (two_versions / "versions" / version["version_id"] / REPORT_NAME).is_file()


def test_report_is_self_contained(rendered):
    html = rendered["page"].read_text(encoding="utf-8")
    for fetches in ("<script", "<link", "<img", "src=", "url(", "@import"):
        assert fetches not in html, fetches
    assert "<svg" in html


def test_screenshot_is_a_real_picture(rendered):
    image = Image.open(rendered["png"])
    assert image.format == "PNG" and image.size == WINDOW
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    top_share = max(count for count, _ in colours) / (WINDOW[0] * WINDOW[1])
    assert len(colours) > 200 and top_share < 0.9, (len(colours), top_share)
    # the header band is the report's dark blue, the page below it light
    header = image.convert("RGB").getpixel((WINDOW[0] - 5, 5))
    assert header[2] > header[0] + 30 and sum(header) < 300, header


def test_rendered_page_shows_counts_places_sources_validation_and_changes(rendered):
    root, dom = rendered["root"], rendered["dom"]
    manifest = json.loads((root / "latest" / "manifest.json").read_text())
    events = ds.dataset(root / "latest" / "events", format="parquet").to_table()
    sources = ds.dataset(root / "latest" / "sources", format="parquet").to_table()

    assert manifest["version_id"] in dom and manifest["parent_version_id"] in dom
    for metric, count in Counter(events["metric"].to_pylist()).items():
        assert f"<td>{metric}</td><td class=\"num\">{count}</td>" in dom, metric
    for place in {p for p in events["place_name"].to_pylist() if p}:
        assert place in dom, place
    for publisher in set(sources["publisher"].to_pylist()):
        assert publisher in dom
    assert 'class="status passed"' in dom and "failed</span>" not in dom
    for table, result in json.loads((root / "latest" / "validation" / "summary.json").read_text())["tables"].items():
        assert f"<td>{table}</td><td class=\"num\">{result['evaluated']}</td>" in dom

    change = versions.diff(root, manifest["parent_version_id"], manifest["version_id"])
    assert f"<b>{len(change['added'])}</b> added, <b>{len(change['removed'])}</b> removed" in dom
    assert change["added"] and all(event_id[:12] in dom for event_id in change["added"])

    located = {(round(a, 4), round(o, 4)) for a, o in zip(events["latitude"].to_pylist(), events["longitude"].to_pylist()) if a is not None}
    circles = dom.count("<circle ")
    assert 0 < circles <= len(located)
    assert dom.count("<polygon ") > 0  # country outlines under the points


def test_report_command_prints_and_regenerates(two_versions, tmp_path, capsys):
    root = tmp_path / "root"
    shutil.copytree(two_versions, root, symlinks=True)
    latest = (root / "LATEST").read_text().strip()
    first = versions.list_versions(root)[0]["version_id"]

    assert main(["report", "--output", str(root)]) == 0
    assert capsys.readouterr().out.strip() == str((root / "versions" / latest / REPORT_NAME).resolve())

    (root / "versions" / first / REPORT_NAME).unlink()
    assert main(["report", first, "--output", str(root), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown == {"version_id": first, "path": str((root / "versions" / first / REPORT_NAME).resolve()), "regenerated": True}
    page = (root / "versions" / first / REPORT_NAME).read_text(encoding="utf-8")
    assert "This is the first version" in page and first in page

    assert main(["report", "nope", "--output", str(root), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["exit_code"] == 2


def test_a_map_beside_a_neighbour_countryinfo_lacks_still_draws():
    """Albania's borders include Kosovo (XKX), which countryinfo has no record of: the map
    leaves it out instead of failing the run that publishes the report."""
    import pyarrow as pa

    from pipeline.report import _map

    events = pa.table({"place_name": ["Tirana"], "latitude": [41.33], "longitude": [19.82], "country_code": ["AL"]})
    drawn = _map(events)
    assert drawn["points"] and any(shape["home"] for shape in drawn["shapes"])
    assert len(drawn["shapes"]) > 1  # the neighbours countryinfo knows are drawn too
