// The dashboard: one filter state, kept in the URL, drives every view.
import { el, clear, getJSON, actorText } from "./dom.js";
import { drawTimeline } from "./timeline.js";
import { drawMap, loadOutline, interact, zoom, resetView, fitView } from "./map.js";
import { drawNetwork } from "./network.js";

const FILTERS = ["type", "actor", "country", "date_from", "date_to", "min_sources", "distinct"];
const PAGE_SIZE = 25;
const $ = (id) => document.getElementById(id);
let meta = { types: [] };
let state = {};
let places = { features: [] };
let mapFitted = false;

function readURL() {
  const params = new URLSearchParams(location.search);
  state = {};
  for (const key of [...FILTERS, "event", "page"]) {
    const value = params.get(key);
    if (value) state[key] = value;
  }
}

function query(extra = {}) {
  const params = new URLSearchParams();
  for (const key of FILTERS) if (state[key]) params.set(key, state[key]);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params.toString();
}

function writeURL() {
  const qs = query(Object.fromEntries(["event", "page"].filter((k) => state[k]).map((k) => [k, state[k]])));
  history.pushState(null, "", qs ? `?${qs}` : location.pathname);
}

function syncForm() {
  $("f-type").value = state.type && meta.types.includes(state.type) ? state.type : "";
  $("f-actor").value = state.actor || "";
  $("f-country").value = state.country || "";
  $("f-from").value = state.date_from || "";
  $("f-to").value = state.date_to || "";
  $("f-sources").value = state.min_sources || "";
  $("f-distinct").checked = state.distinct === "true";
}

function setFilters(changes) {
  state = { ...state, ...changes, page: "" };
  for (const key of Object.keys(state)) if (!state[key]) delete state[key];
  writeURL();
  syncForm();
  refresh();
}

function status(text) {
  $("summary").textContent = text;
}

async function refresh() {
  document.body.dataset.loading = "1";
  status("loading…");
  try {
    const qs = query();
    const [events, series, geo, dyads] = await Promise.all([
      getJSON(`/api/events?${query({ page: state.page || 1, page_size: PAGE_SIZE })}`),
      getJSON(`/api/timeseries?${qs}`),
      getJSON(`/api/places?${qs}`),
      getJSON(`/api/dyads?${qs}`),
    ]);
    places = geo;
    if (!mapFitted) { fitView(geo.features); mapFitted = true; }
    const dated = drawTimeline($("timeline"), $("legend"), series, meta.types, (type) => setFilters({ type }));
    $("timeline-info").textContent = `per ${series.interval}` + (series.undated ? ` · ${series.undated} undated` : "");
    redrawMap();
    drawNetwork($("network"), dyads, state.actor, (actor) => setFilters({ actor }));
    drawTable(events);
    status(`${events.total} events · ${dated} on the timeline · ${geo.features.length} places · ` +
      `${dyads.nodes.length} actors, ${dyads.edges.length} dyads`);
    if (state.event) await showEvent(state.event, false);
  } catch (err) {
    status(`error: ${err.message}`);
  } finally {
    delete document.body.dataset.loading;
    document.body.dataset.ready = "1";
  }
}

function redrawMap() {
  drawMap($("map"), places, (feature) => {
    const first = feature.properties.event_ids[0];
    if (first) selectEvent(first);
  }, redrawMap);
}

function drawTable(page) {
  const body = clear($("events").tBodies[0]);
  for (const ev of page.items) {
    const where = ev.place_name ? `${ev.place_name}${ev.place_country ? " (" + ev.place_country + ")" : ""}` : "—";
    const first = ev.evidence[0];
    body.append(el("tr", { "data-id": ev.id, class: ev.id === state.event ? "selected" : null, onclick: () => selectEvent(ev.id) },
      el("td", { text: ev.day || "" }),
      el("td", { text: ev.type + (ev.mode ? ` (${ev.mode})` : "") }),
      el("td", { text: `${actorText(ev.actors)} → ${actorText(ev.recipients)}` }),
      el("td", { text: where, title: ev.place_precision || "" }),
      el("td", { text: String(ev.sources) }),
      el("td", { text: ev.confidence == null ? "" : ev.confidence.toFixed(2) }),
      el("td", { class: "ev", text: first ? truncate(first.text, 110) : "" })));
  }
  const pages = Math.max(1, Math.ceil(page.total / page.page_size));
  $("page-info").textContent = `page ${page.page} of ${pages}`;
  $("table-info").textContent = `${page.total} matching`;
  $("prev").disabled = page.page <= 1;
  $("next").disabled = page.page >= pages;
}

function truncate(text, n) {
  return text.length > n ? text.slice(0, n - 1) + "…" : text;
}

async function selectEvent(id) {
  state.event = id;
  writeURL();
  for (const tr of $("events").tBodies[0].rows) tr.classList.toggle("selected", tr.dataset.id === id);
  await showEvent(id, true);
}

// Offsets from the store count code points (Python); JS strings count UTF-16 units.
function highlighted(text, spans) {
  const chars = Array.from(text);
  const parts = [];
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < at || s.end > chars.length) continue;
    parts.push(document.createTextNode(chars.slice(at, s.start).join("")));
    parts.push(el("mark", { class: "evidence", "data-sentence": s.sentence, text: chars.slice(s.start, s.end).join("") }));
    at = s.end;
  }
  parts.push(document.createTextNode(chars.slice(at).join("")));
  return el("div", { class: "article-text" }, ...parts);
}

async function showEvent(id, scroll) {
  const pane = clear($("evidence"));
  let ev;
  try {
    ev = await getJSON(`/api/events/${encodeURIComponent(id)}`);
  } catch (err) {
    pane.append(el("p", { class: "hint", text: `event ${id}: ${err.message}` }));
    return;
  }
  const art = ev.article || {};
  const when = [ev.day, ev.date_text ? `“${ev.date_text}”` : ""].filter(Boolean).join(" ");
  pane.append(
    el("h3", { text: art.title || art.id || ev.article_id }),
    el("p", { class: "meta", text: [art.outlet, art.published, art.url].filter(Boolean).join(" · ") }),
    el("p", { class: "event-summary" },
      el("strong", { text: ev.type }), ` ${actorText(ev.actors)} → ${actorText(ev.recipients)}`,
      ev.place_name ? ` · ${ev.place_name} (${ev.place_precision || "?"})` : "", when ? ` · ${when}` : "",
      el("span", { class: "badge", text: `${ev.sources} source(s)` })),
    highlighted(art.text || "", ev.evidence));
  if (ev.siblings.length) {
    pane.append(el("h4", { text: "Same event in other reports" }), el("ul", {},
      ...ev.siblings.map((s) => el("li", {}, el("a", { href: "#", text: `${s.article_title || s.article_id}: ${truncate(s.evidence[0]?.text || s.type, 120)}`, onclick: (e) => { e.preventDefault(); selectEvent(s.id); } })))));
  }
  pane.append(el("h4", { text: `Quotes (${ev.quotes.length})` }));
  pane.append(el("ul", { class: "quotes" }, ...ev.quotes.map((q) => el("li", {},
    el("span", { class: "speaker", text: q.speaker || "unattributed" }),
    q.speaker_role ? ` (${q.speaker_role})` : "",
    el("span", { class: "badge", text: q.source_class || "unknown" }),
    `: “${q.text}”`))));
  const mark = pane.querySelector("mark.evidence");
  if (mark && scroll) mark.scrollIntoView({ block: "nearest" });
}

async function init() {
  readURL();
  meta = await getJSON("/api/meta");
  for (const type of meta.types) $("f-type").append(el("option", { value: type, text: type }));
  await loadOutline().catch(() => null); // the map still shows places without the outline
  interact($("map"), redrawMap);
  syncForm();
  $("filters").addEventListener("submit", (evt) => {
    evt.preventDefault();
    setFilters({ type: $("f-type").value, actor: $("f-actor").value.trim(), country: $("f-country").value.trim().toUpperCase(),
      date_from: $("f-from").value, date_to: $("f-to").value, min_sources: $("f-sources").value,
      distinct: $("f-distinct").checked ? "true" : "" });
  });
  $("f-clear").addEventListener("click", () => { state = {}; setFilters({}); });
  $("prev").addEventListener("click", () => { state.page = String(Math.max(1, (+state.page || 1) - 1)); writeURL(); refresh(); });
  $("next").addEventListener("click", () => { state.page = String((+state.page || 1) + 1); writeURL(); refresh(); });
  $("zoom-in").addEventListener("click", () => { zoom(2); redrawMap(); });
  $("zoom-out").addEventListener("click", () => { zoom(0.5); redrawMap(); });
  $("zoom-reset").addEventListener("click", () => { resetView(); redrawMap(); });
  window.addEventListener("popstate", () => { readURL(); syncForm(); refresh(); });
  await refresh();
}

init();
