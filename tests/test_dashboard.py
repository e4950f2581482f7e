"""The dashboard in a real browser (Debian's chromium driven by Playwright) over a real store.

Screenshots go to test-artifacts/; with NEWSWIRE_SCREENSHOT=1 the dashboard with an event's
evidence open is also written to docs/dashboard.png (the README's picture).
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from test_serve_api import INJECTION, SCRIPT, build_store

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright Python package is not installed"
)
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium; scripts/install_browser.sh)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from newswire.serve.devserver import ServerThread

    db = build_store(tmp_path_factory.mktemp("dash"))
    with ServerThread(db) as url:
        yield url, db


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.dialogs, pg.errors, pg.outside = [], [], []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    url = server[0]
    pg.on("request", lambda r: None if r.url.startswith(url) or r.url.startswith("data:")
          else pg.outside.append(r.url))
    yield pg
    ctx.close()


def api(server, path: str, **params):
    return httpx.get(server[0] + path, params=params, timeout=30).json()


def open_dashboard(page, server, query: str = "") -> None:
    page.goto(f"{server[0]}/{query}")
    page.wait_for_selector("body[data-ready]:not([data-loading])")


def sum_attr(page, selector: str) -> int:
    return page.eval_on_selector_all(
        selector, "els => els.reduce((s, e) => s + Number(e.dataset.n), 0)"
    )


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_views_render_the_api_counts(page, server):
    open_dashboard(page, server)
    series = api(server, "/api/timeseries")
    assert sum_attr(page, "#timeline rect.seg") == sum(b["n"] for b in series["buckets"])
    assert page.locator("#timeline rect.seg").count() == len(series["buckets"])
    geo = api(server, "/api/places")
    assert sum_attr(page, "#map .mark") == sum(f["properties"]["n"] for f in geo["features"])
    dyads = api(server, "/api/dyads")
    assert page.locator("#network circle.node").count() == len(dyads["nodes"])
    assert page.locator("#network line.edge").count() == len(dyads["edges"])
    quads = {e["quad_class"] for e in dyads["edges"]}
    for quad in quads - {None}:
        assert page.locator(f"#network line.edge.q{quad}").count() > 0
    events = api(server, "/api/events", page_size=25)
    assert page.locator("#events tbody tr").count() == min(25, events["total"])
    assert page.locator("#land, #map path.land").count() == 1
    assert not page.errors and not page.outside and not page.dialogs
    shot(page, "overview")


def test_click_an_event_highlights_its_evidence(page, server):
    open_dashboard(page, server)
    row = page.locator("#events tbody tr").first
    event_id = row.get_attribute("data-id")
    row.click()
    mark = page.locator("#evidence mark.evidence").first
    mark.wait_for()
    detail = api(server, f"/api/events/{event_id}")
    assert mark.text_content() == detail["evidence"][0]["text"]
    assert f"event={event_id}" in page.url
    assert page.locator("#evidence .quotes li").count() == len(detail["quotes"])
    shot(page, "evidence")
    if os.environ.get("NEWSWIRE_SCREENSHOT"):  # the README's picture: every view and the evidence
        page.set_viewport_size({"width": 1400, "height": 1300})
        page.evaluate("window.scrollTo(0, 0)")
        (ROOT / "docs").mkdir(exist_ok=True)
        page.screenshot(path=str(ROOT / "docs" / "dashboard.png"))
    # the selection is in the URL: a reload shows the same evidence
    page.reload()
    page.wait_for_selector("#evidence mark.evidence")
    assert page.locator("#evidence mark.evidence").first.text_content() == mark.text_content()


def test_filter_updates_every_view_and_the_url(page, server):
    open_dashboard(page, server)
    before = page.locator("#events tbody tr").count()
    segment = page.locator("#timeline rect.seg[data-type='PROTEST']").first
    segment.click()
    page.wait_for_function("new URLSearchParams(location.search).get('type') === 'PROTEST'")
    page.wait_for_selector("body[data-ready]:not([data-loading])")
    protest = api(server, "/api/events", type="PROTEST")
    rows = page.locator("#events tbody tr")
    assert rows.count() == protest["total"] < before
    assert {t.split(" ")[0] for t in rows.locator("td:nth-child(2)").all_text_contents()} == {
        "PROTEST"}
    types = page.eval_on_selector_all("#timeline rect.seg", "els => els.map(e => e.dataset.type)")
    assert set(types) == {"PROTEST"}
    geo = api(server, "/api/places", type="PROTEST")
    assert sum_attr(page, "#map .mark") == sum(f["properties"]["n"] for f in geo["features"])
    dyads = api(server, "/api/dyads", type="PROTEST")
    assert page.locator("#network circle.node").count() == len(dyads["nodes"])
    assert page.locator("#f-type").input_value() == "PROTEST"
    shot(page, "filtered")

    # a filter typed in the form, then the URL alone reproduces the same view
    page.fill("#f-country", "nga")
    page.click("#f-apply")
    page.wait_for_function("new URLSearchParams(location.search).get('country') === 'NGA'")
    page.wait_for_selector("body[data-ready]:not([data-loading])")
    both = api(server, "/api/events", type="PROTEST", country="NGA")
    assert page.locator("#events tbody tr").count() == both["total"]
    url = page.url
    open_dashboard(page, server, "?" + url.split("?", 1)[1])
    assert page.locator("#events tbody tr").count() == both["total"]
    assert page.locator("#f-country").input_value() == "NGA"

    # one row per real event: the checkbox reaches the API and the URL
    page.check("#f-distinct")
    page.click("#f-apply")
    page.wait_for_function("new URLSearchParams(location.search).get('distinct') === 'true'")
    page.wait_for_selector("body[data-ready]:not([data-loading])")
    once = api(server, "/api/events", type="PROTEST", country="NGA", distinct="true")
    assert page.locator("#events tbody tr").count() == once["total"] <= both["total"]

    page.click("#f-clear")
    page.wait_for_function("location.search === ''")
    page.wait_for_selector("body[data-ready]:not([data-loading])")
    assert page.locator("#events tbody tr").count() == before


def test_network_node_click_filters_by_actor(page, server):
    open_dashboard(page, server)
    node = page.locator("#network circle.node").first
    key = node.get_attribute("data-key")
    node.click()
    page.wait_for_function(f"new URLSearchParams(location.search).get('actor') === {key!r}")
    page.wait_for_selector("body[data-ready]:not([data-loading])")
    assert page.locator("#events tbody tr").count() == api(server, "/api/events", actor=key)[
        "total"]


def test_hostile_article_renders_as_text(page, server):
    import duckdb

    open_dashboard(page, server)
    row = page.locator("#events tbody tr", has_text=INJECTION)
    assert row.count() >= 1  # the SQL is visible as characters in the table
    row.first.click()
    page.locator("#evidence mark.evidence").first.wait_for()
    text = page.locator("#evidence .article-text").text_content()
    assert SCRIPT in text and INJECTION in text
    # the event whose evidence sentence holds the markup, opened from its URL
    hostile = row.first.get_attribute("data-id").rsplit("-", 1)[0]
    cited = [e["id"] for e in api(server, "/api/events", article=hostile)["items"]
             if any(SCRIPT in s["text"] for s in e["evidence"])]
    assert cited
    open_dashboard(page, server, f"?event={cited[0]}")
    page.locator("#evidence mark.evidence").first.wait_for()
    marks = page.locator("#evidence mark.evidence").all_text_contents()
    assert any(SCRIPT in m for m in marks)
    assert page.locator("#evidence script, #events script").count() == 0
    page.wait_for_timeout(300)
    assert page.dialogs == [] and not page.errors
    shot(page, "hostile")
    con = duckdb.connect(str(server[1]), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM events").fetchall()[0][0] > 0
    finally:
        con.close()


def test_map_clusters_split_when_zooming_in(page, server):
    open_dashboard(page, server)
    total = sum_attr(page, "#map .mark")
    page.click("#zoom-reset")  # the whole world: nearby places merge
    world_marks = page.locator("#map .mark").count()
    assert page.locator("#map .mark.cluster").count() >= 1
    for _ in range(5):
        page.click("#zoom-in")
    assert sum_attr(page, "#map .mark") == total  # no event lost or doubled by clustering
    assert page.locator("#map .mark").count() > world_marks
    precisions = set(page.eval_on_selector_all(
        "#map .mark.place", "els => els.map(e => e.dataset.precision)"))
    assert precisions and precisions <= {"city", "point", "admin1", "country", "region"}
