"""Story clusters, event fusion and corpus queries: real DuckDB, real spaCy end to end."""

from __future__ import annotations

import json
from datetime import date, timedelta

import duckdb
import numpy as np
import pytest
from typer.testing import CliRunner

from newswire import corpus, store
from newswire.cli import app
from newswire.corpus import minhash
from newswire.corpus import queries as cq
from newswire.model import Actor, Article, ArticleRecord, Count, DateRef, Event, Place

runner = CliRunner()

# ---------------------------------------------------------------- the test corpus (invented)
# Two wire stories, each carried by three outlets: a near copy, a light rewrite with the
# paragraphs moved, and an update (story A: the toll rises from seven to nine).
A1 = (
    "Gunmen kill seven police officers in attack on Kenyan border post",
    "GARISSA, Kenya, March 11 — Suspected al-Shabaab gunmen attacked a police post near the "
    "Somali border in Kenya's Garissa county on Monday, killing seven police officers, a regional "
    "police commander said.\n\n"
    "The attackers stormed the post at Dadaab before dawn, firing rocket-propelled grenades and "
    "setting two armoured vehicles on fire, commander James Mwangi told reporters.\n\n"
    "\"They came in large numbers and overran the post within minutes,\" Mwangi said, adding that "
    "three other officers were wounded and taken to hospital in Garissa town.\n\n"
    "Kenya has suffered repeated cross-border raids since it sent troops into Somalia in 2011 to "
    "fight the Islamist group, which is linked to al Qaeda.",
)
A2 = (
    "Seven Kenyan police officers killed in al-Shabaab raid near Somali border",
    "Suspected al-Shabaab gunmen attacked a police post near the Somali border in Kenya's Garissa "
    "county on Monday, killing seven police officers, a regional police commander said.\n\n"
    "\"They came in large numbers and overran the post within minutes,\" commander James Mwangi "
    "said. Three other officers were wounded and taken to hospital in Garissa town, he added.\n\n"
    "The attackers stormed the post at Dadaab before dawn, firing rocket-propelled grenades and "
    "setting two armoured vehicles on fire, Mwangi told reporters.\n\n"
    "Kenya has suffered repeated cross-border raids since it sent troops into Somalia in 2011 to "
    "fight the Islamist group.",
)
A3 = (
    "Death toll in attack on Kenyan police post rises to nine",
    "Suspected al-Shabaab gunmen attacked a police post near the Somali border in Kenya's Garissa "
    "county on Monday, killing nine police officers, a regional police commander said on Tuesday, "
    "raising an earlier toll of seven.\n\n"
    "The attackers stormed the post at Dadaab before dawn, firing rocket-propelled grenades and "
    "setting two armoured vehicles on fire, commander James Mwangi told reporters.\n\n"
    "Two of the three officers who were wounded and taken to hospital in Garissa town died "
    "overnight, Mwangi said.\n\n"
    "Kenya has suffered repeated cross-border raids since it sent troops into Somalia in 2011 to "
    "fight the Islamist group, which is linked to al Qaeda.",
)
B1 = (
    "Peruvian police detain dozens of protesters in Lima",
    "LIMA, March 12 — Peruvian police arrested 48 protesters in central Lima on Tuesday after "
    "demonstrators demanding early elections clashed with officers outside Congress, the interior "
    "ministry said.\n\n"
    "Riot police fired tear gas as several thousand people marched towards the legislature, "
    "chanting slogans against President Dina Boluarte and the lawmakers who back her "
    "government.\n\n"
    "The ministry said 12 officers were injured by stones and fireworks thrown by the crowd. "
    "Rights groups accused the police of using excessive force.\n\n"
    "Protests have shaken Peru for months, and more than 60 people have died in clashes with "
    "security forces since December.",
)
B2 = (
    "Dozens of protesters arrested in Lima as clashes erupt outside Congress",
    "Peruvian police arrested 48 protesters in central Lima on Tuesday after demonstrators "
    "demanding early elections clashed with officers outside Congress, the interior ministry "
    "said.\n\n"
    "The ministry said 12 officers were injured by stones and fireworks thrown by the crowd, "
    "while rights groups accused the police of using excessive force.\n\n"
    "Riot police fired tear gas as several thousand people marched towards the legislature, "
    "chanting slogans against President Dina Boluarte.\n\n"
    "Protests have shaken Peru for months.",
)
B3 = (
    "Peru: 48 held after protest at Congress turns violent",
    "Peruvian police arrested 48 protesters in central Lima on Tuesday after demonstrators "
    "demanding early elections clashed with officers outside Congress, the interior ministry said "
    "in a statement.\n\n"
    "Riot police fired tear gas as several thousand people marched towards the legislature, "
    "chanting slogans against President Dina Boluarte and the lawmakers who back her "
    "government.\n\n"
    "Rights groups accused the police of using excessive force. More than 60 people have died in "
    "clashes with security forces since December.",
)
OTHER = [
    ("Canadian parliament passes budget after late-night vote",
     "OTTAWA, March 11 — Canada's House of Commons approved the federal budget late on Monday "
     "after a marathon session, clearing the way for new spending on housing and defence.\n\n"
     "Finance Minister Chrystia Freeland said the measures would help families struggling with "
     "rents, while the Conservative opposition criticised the deficit.", "2024-03-12"),
    ("Indonesia and Australia sign maritime security pact",
     "JAKARTA, March 11 — Indonesia and Australia signed an agreement on Monday to step up joint "
     "patrols against illegal fishing and people smuggling in the waters between the two "
     "countries.\n\n"
     "The pact was signed by the two defence ministers at a ceremony in Jakarta.", "2024-03-11"),
    ("Kenyan farmers protest over fertiliser prices in Nakuru",
     "NAKURU, Kenya, March 11 — Hundreds of farmers marched through the Kenyan town of Nakuru on "
     "Monday to protest against rising fertiliser prices and delays in government subsidies.\n\n"
     "Police watched the march, which ended peacefully outside the county offices.", "2024-03-11"),
]
OUTLETS = ("Wire Agency", "The Coast Herald", "Capital Times")


def corpus_records() -> list[dict]:
    recs = []
    for story, day in (((A1, A2, A3), date(2024, 3, 11)), ((B1, B2, B3), date(2024, 3, 12))):
        for i, ((title, text), outlet) in enumerate(zip(story, OUTLETS, strict=True)):
            pub = day + timedelta(days=1 if i == 2 else 0)  # the third outlet runs it a day later
            recs.append({"title": title, "text": text, "outlet": outlet,
                         "published": pub.isoformat()})
    for title, text, pub in OTHER:
        recs.append({"title": title, "text": text, "outlet": "Capital Times", "published": pub})
    return recs


# ---------------------------------------------------------------- MinHash (pure functions)


def test_signature_is_stable_and_estimates_jaccard():
    a = A1[0] + "\n" + A1[1]
    assert np.array_equal(minhash.signature(a), minhash.signature(a))
    assert minhash.signature(a).dtype == np.uint32 and len(minhash.signature(a)) == 128
    # layout and case do not matter, words do
    assert minhash.similarity(minhash.signature(a), minhash.signature(a.upper())) == 1.0
    sa, sb = minhash.shingles(a), minhash.shingles(A3[0] + "\n" + A3[1])
    exact = len(sa & sb) / len(sa | sb)
    est = minhash.similarity(minhash.signature(a), minhash.signature(A3[0] + "\n" + A3[1]))
    assert abs(est - exact) < 0.15
    unrelated = minhash.signature(OTHER[0][0] + "\n" + OTHER[0][1])
    assert minhash.similarity(minhash.signature(a), unrelated) < 0.1


def test_band_keys_agree_with_vectorised_pairs():
    texts = [t + "\n" + b for t, b in (A1, A2, A3, B1, B2, B3)] + [o[1] for o in OTHER]
    sigs = np.stack([minhash.signature(t) for t in texts])
    keyed = [(f"{i:02d}", minhash.band_keys(s)) for i, s in enumerate(sigs)]
    cand = {(int(a), int(b)) for a, b in minhash.candidate_pairs(keyed)}
    similar = {tuple(p) for p in minhash.similar_pairs(sigs).tolist()}
    # every similar pair is a candidate under the string keys the Spark job uses
    assert similar <= cand
    assert similar == {(i, j) for i, j in cand
                       if minhash.similarity(sigs[i], sigs[j]) >= minhash.DEFAULT_THRESHOLD}
    assert {(0, 1), (0, 2), (3, 4), (3, 5)} <= similar
    assert all(i < 6 and j < 6 and (i < 3) == (j < 3) for i, j in similar)


def test_components_use_smallest_id():
    got = minhash.components(["d", "b", "a", "c", "e"], [("d", "b"), ("c", "a"), ("b", "c")])
    assert got == {"a": "a", "b": "a", "c": "a", "d": "a", "e": "e"}


# ---------------------------------------------------------------- clusters over a store


def _article_record(title: str, text: str, outlet: str | None, pub: date,
                    events: list[Event] | None = None) -> ArticleRecord:
    art = Article(text=text, title=title, outlet=outlet, published=pub, source="test")
    rec = ArticleRecord(article=art, text=text, title=title)
    for i, ev in enumerate(events or []):
        ev.id = f"{art.id}-E{i + 1}"
    rec.events = events or []
    return rec


def _clusters(con) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    rows = con.execute(
        "SELECT c.cluster_id, a.title FROM article_clusters c"
        " JOIN articles a ON a.id = c.article_id"
    ).fetchall()
    for cid, title in rows:
        out.setdefault(cid, set()).add(title)
    return out


def test_clusters_incremental_equals_all_at_once(tmp_path):
    recs = [_article_record(t, b, o, date(2024, 3, 11))
            for (t, b), o in zip((A1, B1, A2, B2, A3, B3), OUTLETS * 2, strict=True)]
    recs += [_article_record(t, b, "Capital Times", date.fromisoformat(p)) for t, b, p in OTHER]
    once = store.connect(tmp_path / "once.duckdb")
    store.write_records(once, recs)
    corpus.refresh(once)
    steps = store.connect(tmp_path / "steps.duckdb")
    for chunk in (recs[:2], recs[2:5], recs[5:]):
        store.write_records(steps, chunk)
        res = corpus.refresh(steps)
        assert res.clusters.signed == len(chunk)  # only new articles are signed
    want = {frozenset({A1[0], A2[0], A3[0]}), frozenset({B1[0], B2[0], B3[0]})} | {
        frozenset({o[0]}) for o in OTHER
    }
    for con in (once, steps):
        got = _clusters(con)
        assert {frozenset(v) for v in got.values()} == want
        ids = dict(con.execute("SELECT title, id FROM articles").fetchall())
        for cid, titles in got.items():
            assert cid == min(ids[t] for t in titles)
    q = "SELECT * FROM article_clusters ORDER BY article_id"
    assert once.execute(q).fetchall() == steps.execute(q).fetchall()
    # a threshold above the rewrites' similarity splits them
    tight = corpus.refresh(once, threshold=0.9)
    assert tight.clusters.multi == 0 and tight.clusters.signed == 0


# ---------------------------------------------------------------- fusion rules (hand-built events)

D0 = date(2024, 5, 6)


def _ev(etype="ASSAULT", actor="SOM", recipient="KEN", place=("Garissa", "KEN", -0.45, 39.65),
        day=D0, dead=None, granularity="day") -> Event:
    end = day if granularity == "day" else day + timedelta(days=30)
    return Event(
        id="", type=etype, mode="",
        actors=[Actor("the gunmen", actor, "REB")] if actor else [],
        recipients=[Actor("the police", recipient, "COP")] if recipient else [],
        place=Place(place[0], place[1], "", place[2], place[3], "city") if place else None,
        date=DateRef("on Monday", day, end, granularity),
        dead=Count("KILL", dead, dead) if dead is not None else None,
        confidence=0.9,
    )


_N = iter(range(10_000))


def _rec(outlet, pub, *events) -> ArticleRecord:
    n = next(_N)
    # distinct wording per article, so that no two land in one story cluster by accident
    text = f"Dispatch {n}: " + " ".join(f"item{n}w{k}" for k in range(12)) + "."
    return _article_record(f"Report {n}", text, outlet, pub, list(events))


def _fused(con) -> list[dict]:
    rel = con.execute("SELECT * FROM fused_events ORDER BY id")
    cols = [d[0] for d in rel.description]
    return [dict(zip(cols, r, strict=True)) for r in rel.fetchall()]


def test_fusion_merges_reports_of_one_event(tmp_path):
    con = store.connect(tmp_path / "f.duckdb")
    recs = [
        _rec("Wire Agency", D0, _ev(dead=7)),
        _rec("The Coast Herald", D0 + timedelta(days=1), _ev(dead=7, day=D0 + timedelta(days=1))),
        _rec("Capital Times", D0 + timedelta(days=2), _ev(dead=9, actor="", recipient="KEN")),
        _rec("capital  times", D0 + timedelta(days=2), _ev(dead=9)),  # same outlet, spelt apart
        _rec(None, D0, _ev(recipient="")),  # no outlet: counts as a source of its own
    ]
    store.write_records(con, recs)
    res = corpus.refresh(con)
    assert res.fusion.events == 5
    (f,) = _fused(con)
    assert (f["num_mentions"], f["num_articles"], f["num_sources"]) == (5, 5, 4)
    assert f["first_seen"] == D0 and f["last_seen"] == D0 + timedelta(days=2)
    # casualties: a range and the latest / most cited figure, never a sum
    assert (f["dead_min"], f["dead_max"], f["dead_latest"]) == (7, 9, 9)
    assert f["dead_reports"] == 4
    assert f["actor_codes"] == ["SOM"] and f["recipient_codes"] == ["KEN"]
    members = con.execute(
        "SELECT event_id FROM fused_event_members WHERE fused_id = ? ORDER BY 1", [f["id"]]
    ).fetchall()
    assert [m[0] for m in members] == sorted(e.id for r in recs for e in r.events)
    assert f["id"] == "F-" + min(e.id for r in recs for e in r.events)


def test_most_cited_figure_counts_articles(tmp_path):
    con = store.connect(tmp_path / "f.duckdb")
    store.write_records(con, [
        _rec("A", D0, _ev(dead=12)),
        _rec("B", D0, _ev(dead=12)),
        _rec("C", D0 + timedelta(days=1), _ev(dead=15)),
    ])
    corpus.refresh(con)
    (f,) = _fused(con)
    got = (f["dead_latest"], f["dead_most_cited"], f["dead_min"], f["dead_max"])
    assert got == (15, 12, 12, 15)


@pytest.mark.parametrize(
    "other",
    [
        _ev(etype="PROTEST"),  # another type
        _ev(day=D0 + timedelta(days=3)),  # three days later
        _ev(place=("Mogadishu", "SOM", 2.04, 45.34)),  # another country
        _ev(place=("Mandera", "KEN", 3.94, 41.86)),  # same country, 500 km away
        _ev(actor="ETH", recipient="ERI"),  # other actors, other story
        _ev(actor="", recipient=""),  # no actors, other story
    ],
    ids=["type", "date", "country", "distance", "actors", "no-codes"],
)
def test_fusion_keeps_different_events_apart(tmp_path, other):
    con = store.connect(tmp_path / "f.duckdb")
    store.write_records(con, [_rec("A", D0, _ev()), _rec("B", D0, other)])
    corpus.refresh(con)
    assert [f["num_mentions"] for f in _fused(con)] == [1, 1]


def test_coarse_date_joins_but_does_not_chain(tmp_path):
    con = store.connect(tmp_path / "f.duckdb")
    month = _ev(day=date(2024, 5, 1), granularity="month")
    store.write_records(con, [
        _rec("A", D0, _ev()),
        _rec("B", D0 + timedelta(days=10), _ev(day=D0 + timedelta(days=10))),
        _rec("C", D0 + timedelta(days=11), month),
    ])
    corpus.refresh(con)
    sizes = sorted(f["num_mentions"] for f in _fused(con))
    assert sizes == [1, 2]  # the month-dated report joins one of the two, not both


def test_fusion_is_order_independent(tmp_path):
    recs = [_rec(o, D0 + timedelta(days=i % 2), _ev(dead=5 + i)) for i, o in enumerate("ABCDE")]
    recs += [_rec("F", D0, _ev(etype="PROTEST", actor="KEN", recipient=""))]
    tables = []
    for name, order in (("fwd", recs), ("rev", recs[::-1])):
        con = store.connect(tmp_path / f"{name}.duckdb")
        for r in order:
            store.write_records(con, [r])
        corpus.refresh(con)
        tables.append([
            con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
            for t in ("fused_events", "fused_event_members", "article_clusters")
        ])
    assert tables[0] == tables[1]


def test_incremental_fusion_equals_a_full_refresh(tmp_path):
    con = store.connect(tmp_path / "inc.duckdb")

    def step(recs, replace=False):
        run = store.start_run(con, ["test"])
        store.write_records(con, recs, run_id=run, replace=replace)
        return corpus.refresh(con).fusion

    def tables():
        return [con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                for t in ("fused_events", "fused_event_members")]

    def day(k):
        return D0 + timedelta(days=k)

    first = [_rec(o, day(i % 3), _ev(dead=i, day=day(i % 3))) for i, o in enumerate("ABCDEF")]
    far = [_rec("G", day(60), _ev(day=day(60))),
           _rec("H", day(61), _ev(etype="PROTEST", actor="KEN", recipient="", day=day(61)))]
    assert step(first + far).refused == 8
    # a new report near the first six: their neighbourhood is fused again, not the far one
    near = _rec("I", day(1), _ev(dead=11, day=day(1)))
    res = step([near])
    assert res.refused == 7 and res.events == 9
    # the same article processed again (--force) with its event moved next to the far ones
    a = first[0].article
    moved = _article_record(a.title, a.text, a.outlet, a.published,
                            [_ev(dead=3, day=day(60))])
    assert step([moved], replace=True).refused == 8  # the first six plus near, and G
    # an article with nothing new changes nothing
    assert step([]).refused == 0
    incremental = tables()
    assert corpus.fusion.refresh(con, full=True).refused == 9
    assert tables() == incremental


# ---------------------------------------------------------------- end to end (real spaCy)


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("corpus")
    src = tmp / "wire.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in corpus_records()) + "\n", encoding="utf-8")
    db = tmp / "c.duckdb"
    res = runner.invoke(app, ["run", str(src), "--db", str(db), "--top", "0"])
    assert res.exit_code == 0, res.output
    return db


def test_acceptance_two_story_clusters_and_fused_events(corpus_db):
    con = duckdb.connect(str(corpus_db), read_only=True)
    rows = con.execute(
        """SELECT c.cluster_id, a.title, a.outlet FROM article_clusters c
           JOIN articles a ON a.id = c.article_id"""
    ).fetchall()
    groups: dict[str, list] = {}
    for cid, title, outlet in rows:
        groups.setdefault(cid, []).append((title, outlet))
    multi = [g for g in groups.values() if len(g) > 1]
    assert len(multi) == 2
    assert {frozenset(t for t, _ in g) for g in multi} == {
        frozenset(x[0] for x in (A1, A2, A3)), frozenset(x[0] for x in (B1, B2, B3))
    }
    assert all(sorted(o for _, o in g) == sorted(OUTLETS) for g in multi)
    assert len(groups) == 2 + len(OTHER)  # unrelated stories stay apart

    cluster_of = {t: cid for cid, t, _ in rows}
    a_id, b_id = cluster_of[A1[0]], cluster_of[B1[0]]
    # no fused event mixes the two stories or pulls in an unrelated article
    mixed = con.execute(
        """SELECT fused_id FROM fused_event_members GROUP BY fused_id
           HAVING count(DISTINCT cluster_id) > 1"""
    ).fetchall()
    assert mixed == []
    # the attack: every report that gives a death toll is in one fused event, from 3 outlets
    attack = con.execute(
        """SELECT DISTINCT m.fused_id FROM fused_event_members m JOIN fused_events f
           ON f.id = m.fused_id WHERE m.cluster_id = ? AND f.type = 'ASSAULT'
           AND m.dead_low IS NOT NULL""", [a_id]
    ).fetchall()
    assert len(attack) == 1
    f = con.execute("SELECT * FROM fused_events WHERE id = ?", [attack[0][0]]).fetchall()[0]
    cols = [d[0] for d in con.description]
    f = dict(zip(cols, f, strict=True))
    assert (f["num_sources"], f["num_articles"]) == (3, 3)
    assert (f["dead_min"], f["dead_max"], f["dead_latest"]) == (7, 9, 9)
    assert f["first_seen"] == date(2024, 3, 11) and f["last_seen"] == date(2024, 3, 12)
    # the arrests in Lima: one fused event, three outlets
    arrests = con.execute(
        """SELECT f.id, f.num_sources FROM fused_events f WHERE f.type = 'COERCE'
           AND f.mode = 'arrest' AND f.id IN (SELECT fused_id FROM fused_event_members
                                              WHERE cluster_id = ?)""", [b_id]
    ).fetchall()
    assert [n for _, n in arrests] == [3]
    con.close()


def test_events_and_stats_commands(corpus_db):
    res = runner.invoke(app, ["events", "--db", str(corpus_db), "--json", "--min-sources", "3",
                              "--country", "PER"])
    assert res.exit_code == 0, res.output
    recs = [json.loads(line) for line in res.output.splitlines()]
    assert recs and all(r["num_sources"] >= 3 for r in recs)
    assert all(r["event_loc"]["country"] == "PER" for r in recs)
    arrest = next(r for r in recs if r["event"] == "COERCE" and r["mode"] == "arrest")
    assert len(arrest["event_ids"]) == arrest["num_mentions"] == len(arrest["reports"])
    assert sorted(arrest["sources"]) == sorted(OUTLETS)
    con = duckdb.connect(str(corpus_db), read_only=True)
    for rep in arrest["reports"]:  # every report points at its evidence sentence
        text = con.execute("SELECT text FROM articles WHERE id = ?",
                           [rep["article_id"]]).fetchall()[0][0]
        assert text[rep["start"]:rep["end"]] == rep["text"]
    con.close()

    res = runner.invoke(app, ["events", "--db", str(corpus_db), "--json", "--type", "assault",
                              "--from", "2024-03-11", "--to", "2024-03-11", "--place", "garissa"])
    recs = [json.loads(line) for line in res.output.splitlines()]
    assert recs and all(r["event"] == "ASSAULT" and r["date"] == "2024-03-11" for r in recs)
    assert any(r["dead_range"] == [7, 9] for r in recs)

    raw = runner.invoke(app, ["events", "--db", str(corpus_db), "--raw", "--json",
                              "--actor", "PER", "--limit", "100"])
    rows = [json.loads(line) for line in raw.output.splitlines()]
    assert rows and all(
        "PER" in {a["code"] for a in r["actor"] + r["recipient"]} for r in rows
    )
    res = runner.invoke(app, ["events", "--db", str(corpus_db)])
    assert res.exit_code == 0 and "Fused events" in res.output

    res = runner.invoke(app, ["stats", "--db", str(corpus_db), "--json"])
    assert res.exit_code == 0, res.output
    lines = [json.loads(line) for line in res.output.splitlines()]
    totals = next(x for x in lines if x["kind"] == "totals")
    assert totals["articles"] == 9 and totals["multi_article_clusters"] == 2
    assert totals["fused_events"] < totals["events"]
    per = [x for x in lines if x["kind"] == "per_period"]
    assert sum(x["events"] for x in per) <= totals["fused_events"]
    weekly = runner.invoke(app, ["stats", "--db", str(corpus_db), "--week", "--raw"])
    assert weekly.exit_code == 0 and "per week" in weekly.output


def test_queries_filters_direct(corpus_db):
    con = duckdb.connect(str(corpus_db), read_only=True)
    everything = list(cq.fused_events(con, cq.Filters()))
    assert len(everything) == con.execute("SELECT count(*) FROM fused_events").fetchall()[0][0]
    ken = list(cq.fused_events(con, cq.Filters(actor="ken")))
    assert ken and all("KEN" in {a["code"] for a in r["actor"] + r["recipient"]} for r in ken)
    none = list(cq.fused_events(con, cq.Filters(date_from=date(2030, 1, 1))))
    assert none == []
    con.close()
