"""newswire.eval.events on PLOVER JSON records written for these tests, and on the GSR."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import needs_shared
from rich.console import Console

from newswire.eval import events as ev

RECORDS = [
    {"id": "t1", "date": "2022-05-02", "event": "ASSAULT", "mode": "firearms",
     "text": "Gunmen shot dead four soldiers at a checkpoint in northern Niger on Sunday.",
     "source": [{"actorText": "Gunmen", "code": "", "sector": "REB"}],
     "target": [{"actorText": "soldiers", "code": "NER", "sector": "MIL"}], "dead": "4"},
    {"id": "t2", "date": "2022-05-02", "event": ["REQUEST", "ACCUSE"],
     "text": "The Chilean government urged Bolivia to return the seized trucks.",
     "actor": [{"entity_text": "The Chilean government", "code": "CHL", "sector": "GOV"}],
     "recipient": [{"entity_text": "Bolivia", "code": "BOL"}]},
    {"id": "t3", "date": "2022-05-02", "event": "NONE",
     "text": "Heavy rain caused flooding across the valley, and a landslide buried two houses."},
    {"id": "t4", "event": "CONSULT",
     "text": "The Indian prime minister held talks with the Japanese prime minister in Tokyo.",
     "source": [{"actorText": "Indian prime minister", "code": "IND", "sector": "GOV"}]},
]


def _write(tmp_path: Path, recs: list[dict]) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return path


def test_scores_invented_records(tmp_path: Path) -> None:
    res = ev.evaluate(_write(tmp_path, RECORDS))
    assert res["n"] == 4 and res["failed"] == 0
    assert res["evaluation"].startswith("shipped model")
    assert res["confusion"]["NONE"] == {"NONE": 1}  # the flood is not an event
    assert res["confusion"]["ASSAULT"].get("ASSAULT") == 1
    assert res["accuracy"] == pytest.approx(
        sum(row.get(g, 0) for g, row in res["confusion"].items()) / 4)
    assert res["dead_exact"]["n"] == 1
    assert res["actor_country"]["n"] == 2  # t2 and t4 give source codes
    assert res["recipient_sector"]["n"] == 1
    assert set(res["per_type"]) >= {"ASSAULT", "NONE", "CONSULT"}
    assert res["per_type"]["NONE"]["support"] == 1
    assert set(res["flags"]) == {"negated", "future", "hypothetical", "historical"}
    cal = res["calibration"]
    assert cal["n"] == sum(n for g, row in res["confusion"].items()
                           for p, n in row.items() if p != "NONE")
    assert sum(b["n"] for b in cal["bins"]) == cal["n"]


def test_list_of_acceptable_types(tmp_path: Path) -> None:
    res = ev.evaluate(_write(tmp_path, [RECORDS[1]]))
    assert res["accuracy"] == 1.0, res["confusion"]


def test_render_prints_tables(tmp_path: Path) -> None:
    res = ev.evaluate(_write(tmp_path, RECORDS[:2]))
    buf = io.StringIO()
    ev.render(res, Console(file=buf, width=160))
    out = buf.getvalue()
    assert "accuracy" in out and "ASSAULT" in out and "n=2" in out


def test_bad_record_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(RECORDS[0]) + "\n{\"event\": \"AGREE\"}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:2"):
        ev.evaluate(path)


def test_gsr_is_cross_validated() -> None:
    path = needs_shared("data", "plover-gsr", "gsr.jsonl")
    res = ev.evaluate(path)
    assert res["n"] == 322
    assert res["evaluation"].startswith("k-fold (k=5) cross-validation")
    # measured 0.71 accuracy / 0.69 macro-F1 when written; the lexicon alone reaches ~0.64
    assert res["accuracy"] >= 0.65
    assert res["macro_f1"] >= 0.6
    assert res["calibration"]["ece"] < 0.2
