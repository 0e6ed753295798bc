"""The report is rendered after publishing, best effort: a report that fails leaves the
version published (once, the map's Kosovo failed a whole run), and is written later."""

from __future__ import annotations

import json

from pipeline import report, versions
from pipeline.cli import main

TINY = "Two people were killed in Aleppo on Monday, the monitor said.\n"


def test_a_failing_report_does_not_fail_the_publish(tmp_path, monkeypatch, capsys):
    article, root = tmp_path / "tiny.txt", tmp_path / "root"
    article.write_text(TINY)

    def broken(facts):
        raise LookupError("no outline for XKX")

    monkeypatch.setattr(report, "render", broken)
    assert main(["run", "--input", str(article), "--output", str(root), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert "published version" in captured.out
    assert "its report.html is not: LookupError: no outline for XKX" in captured.err
    version = versions.latest_version(root)
    page = versions.version_dir(root, version) / report.REPORT_NAME
    assert not page.exists() and versions.verify(root, version) == []

    monkeypatch.undo()
    assert main(["report", "--output", str(root), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["regenerated"] is True and page.is_file()

    page.unlink()  # an unchanged rerun writes a missing report too
    assert main(["run", "--input", str(article), "--output", str(root), "--quiet"]) == 0
    assert "unchanged" in capsys.readouterr().out and page.is_file()
