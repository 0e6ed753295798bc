"""The version report and its Data Docs: written at publish time, self-contained, and readable
in a real browser with the network off."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pyarrow.dataset as ds
import pytest
from PIL import Image

from pipeline import versions
from pipeline.cli import main
from pipeline.report import REPORT_NAME, figure_text, number_text

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
    for fetches in ("<link", "<img", "src=", "url(", "@import"):
        assert fetches not in html, fetches
    assert html.count("<script>") == html.count("<script") == 1  # the inline table sorter
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


def test_rendered_page_lists_every_event_with_its_figure_place_date_claimant_evidence_and_source(rendered):
    root, dom = rendered["root"], rendered["dom"]
    events = ds.dataset(root / "latest" / "events", format="parquet").to_table().to_pylist()
    sources = {s["source_id"]: s for s in ds.dataset(root / "latest" / "sources", format="parquet").to_table().to_pylist()}
    listing = dom.split('<section id="events">', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r'<tr id="event-([0-9a-f]+)">(.*?)</tr>', listing, flags=re.S)
    assert sorted(event_id for event_id, _ in rows) == sorted(e["event_id"] for e in events)
    by_id = {e["event_id"]: e for e in events}
    for event_id, row in rows:
        event = by_id[event_id]
        text = " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for shown in (figure_text(event), event["metric"], event["place_name"], event["claimed_by"], event["actor"],
                      *(sources[s]["title"] for s in event["source_ids"])):
            assert shown is None or " ".join(shown.split()) in text.replace("&#39;", "'"), (shown, text)
        assert " ".join(event["evidence"].split())[:80] in text.replace("&#39;", "'").replace("&#34;", '"')
        if event["event_date_start"]:
            assert event["event_date_start"].isoformat() in text
    # most recent first
    ends = [by_id[event_id]["event_date_end"] for event_id, _ in rows if by_id[event_id]["event_date_end"]]
    assert ends == sorted(ends, reverse=True)


def test_only_people_counts_of_new_asserted_or_claimed_incidents_are_summed(two_versions):
    import pyarrow as pa
    import pyarrow.compute as pc

    from pipeline.report import _by_metric

    def event(metric, value, low=None, unit="people", modality="asserted", cumulative=False, parent=None):
        return {"event_id": f"{metric}{value}{low}{modality}{cumulative}{parent}", "metric": metric, "value": value,
                "value_low": low, "unit": unit, "modality": modality, "is_cumulative": cumulative, "parent_event_id": parent}

    events = pa.Table.from_pylist([
        event("killed", 12), event("killed", 5, modality="claimed"), event("killed", None, low=24),  # "dozens"
        event("killed", 400_000, low=400_000, cumulative=True), event("killed", 4, parent="k12"),
        event("killed", 50, modality="projected"), event("killed", 0, modality="negated"),
        event("territory_share", 70, unit="percent"), event("territory_share", 100, unit="percent"),
    ])
    rows = {r["metric"]: r for r in _by_metric(events)}
    assert rows["killed"] == {"metric": "killed", "events": 7, "people": True, "summed": 3, "value_sum": 17, "low_sum": 41}
    assert rows["territory_share"]["people"] is False and rows["territory_share"]["events"] == 2

    # the published page: shares are not summed, and the killed row adds only what the rule allows
    published = ds.dataset(two_versions / "latest" / "events", format="parquet").to_table().to_pylist()
    page = (two_versions / "latest" / REPORT_NAME).read_text(encoding="utf-8")
    metrics = page.split('<section id="metrics">', 1)[1].split("</table>", 1)[0]
    assert re.search(r"<td>territory_share</td><td class=\"num\">\d+</td><td class=\"muted\" colspan=\"3\">not summed", metrics)
    killed = [e for e in published if e["metric"] == "killed"]
    summed = [e for e in killed if e["unit"] == "people" and e["modality"] in ("asserted", "claimed")
              and not e["is_cumulative"] and e["parent_event_id"] is None]
    assert 0 < len(summed) < len(killed)
    best = sum(e["value"] for e in summed if e["value"] is not None)
    low = sum(e["value_low"] if e["value_low"] is not None else e["value"] for e in summed)
    assert (f'<td>killed</td><td class="num">{len(killed)}</td><td class="num">{number_text(best)}</td>'
            f'<td class="num">{number_text(low)}</td><td class="num">{len(summed)}</td>') in metrics


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def offline(two_versions, tmp_path_factory):
    """A headless Chromium whose every http(s) request is recorded and refused."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "chromium is missing: `make system-deps` installs it"
    shots = tmp_path_factory.mktemp("offline-shots")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1300, "height": 1000}, offline=True)
        remote: list[str] = []
        context.route(re.compile(r"^https?://"), lambda route: (remote.append(route.request.url), route.abort()))
        context.set_default_timeout(60_000)
        try:
            yield {"context": context, "remote": remote, "shots": shots, "latest": two_versions / "latest"}
        finally:
            browser.close()


def test_the_report_shows_its_events_offline_and_sorts_them(offline):
    page = offline["context"].new_page()
    page.goto((offline["latest"] / REPORT_NAME).resolve().as_uri())
    events = ds.dataset(offline["latest"] / "events", format="parquet").to_table().to_pylist()
    rows = page.locator("#events tbody tr")
    assert rows.count() == len(events) and rows.first.is_visible()
    page.locator("#events").screenshot(path=offline["shots"] / "report-events.png")
    page.screenshot(path=offline["shots"] / "report.png", full_page=True)

    page.locator("#events th", has_text="figure").click()  # the largest figure first
    figures = [float(v) for v in page.locator("#events tbody td.figure").evaluate_all("cells => cells.map(c => c.dataset.sort)") if v]
    assert figures == sorted(figures, reverse=True) and len(figures) == sum(
        (e["value"] if e["value"] is not None else e["value_low"]) is not None for e in events)
    assert offline["remote"] == []


def test_the_data_docs_render_offline(offline):
    docs = (offline["latest"] / "validation" / "data_docs").resolve()
    page = offline["context"].new_page()
    page.goto((docs / "index.html").as_uri())
    results = page.locator("table.ge-index-page-validation-results-table tbody tr")  # rows built by bootstrap-table
    results.first.wait_for()
    tables = json.loads((offline["latest"] / "manifest.json").read_text())["tables"]
    assert results.count() == len({t for t in tables if t != "changes"})
    assert page.locator(".ge-success-icon").first.is_visible()  # Font Awesome's solid font
    assert page.locator("nav.navbar").first.evaluate("n => getComputedStyle(n).display") == "flex"  # Bootstrap's CSS
    page.screenshot(path=offline["shots"] / "data-docs-index.png")

    results.filter(has=page.get_by_role("link", name="events", exact=True)).click()  # a row opens its validation result
    page.wait_for_url("**/validations/events/**")
    page.get_by_text("Succeeded").first.wait_for()
    page.get_by_text("Table-Level Expectations").first.wait_for()
    page.screenshot(path=offline["shots"] / "data-docs-events.png")
    assert offline["remote"] == []


def test_no_data_docs_page_loads_anything_from_the_network(two_versions):
    from pipeline.datadocs import still_remote

    docs = two_versions / "latest" / "validation" / "data_docs"
    pages = sorted(docs.rglob("*.html"))
    assert len(pages) > 6
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert still_remote(html) == [], page
        assert "vegaEmbed(" not in html, f"{page} draws a Vega graph: vendor Vega (pipeline/vendor/datadocs)"
        loaded = re.findall(r'<script src="([^"]+)"|<link rel="stylesheet" href="([^"]+)"|url\(\'([^\']+)\'\)', html)
        assert loaded and all((page.parent / "".join(path)).is_file() for path in loaded), page
