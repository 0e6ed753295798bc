"""The Markdown table of eval's figures: every figure with its halves and its targets."""

from benchmarks.eval import main, markdown

RESULTS = {
    "seed": {"error": None, "figures": {"found": 14}, "halves": {}, "targets": [
        {"figure": "found", "op": ">=", "threshold": 10, "pass": True}]},
    "isaf": {"error": None, "figures": {"killed_acc": 0.9234, "docs": 362},
             "halves": {"A": {"killed_acc": 0.95, "docs": 181}, "B": {"killed_acc": 0.9, "docs": 181}},
             "targets": [{"figure": "killed_acc", "op": ">=", "threshold": 0.93, "pass": False}]},
    "lgl": {"error": "FileNotFoundError: gold.jsonl", "figures": {}, "halves": {}, "targets": []},
}


def test_every_figure_is_a_row_with_its_halves_and_target():
    rows = markdown(RESULTS).splitlines()
    assert rows[0] == "| bench | figure | all | A tune | B check | target |"
    assert "| seed | found | 14 |  |  | >= 10 PASS |" in rows
    assert "| isaf | killed_acc | 0.923 | 0.950 | 0.900 | >= 0.93 FAIL |" in rows
    assert "| isaf | docs | 362 | 181 | 181 |  |" in rows
    assert any(r.startswith("| lgl | ERROR FileNotFoundError") for r in rows)


def test_an_earlier_json_is_rendered_without_running_anything(tmp_path, capsys):
    import json

    (tmp_path / "figures.json").write_text(json.dumps(RESULTS))
    assert main(["--from-json", str(tmp_path / "figures.json")]) == 0
    assert "| isaf | killed_acc | 0.923 |" in capsys.readouterr().out
