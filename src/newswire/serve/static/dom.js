// DOM helpers. Text from articles only ever reaches the page through textContent or
// createTextNode: nothing here parses markup, so an article's "<script>" stays text.
const SVG_NS = "http://www.w3.org/2000/svg";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  return fill(node, attrs, children);
}

export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  return fill(node, attrs, children);
}

function fill(node, attrs, children) {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = String(value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function tooltip(text) {
  return svg("title", { text });
}

// Stable colours per event type: the index in the store's sorted type list.
const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
  "#ff9da7", "#9c755f", "#bab0ac", "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e",
  "#e6ab02", "#a6761d", "#666666"];

export function typeColour(types, type) {
  const i = types.indexOf(type);
  return PALETTE[(i < 0 ? types.length : i) % PALETTE.length];
}

export async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

export function actorText(list) {
  // "?": a code taken from where the event happens, not from the actor's own words
  return (list || []).map((a) => (a.code ? `${a.text} [${a.code}${a.sector ? "/" + a.sector : ""}${a.inferred ? "?" : ""}]`
    : a.sector ? `${a.text} [${a.sector}]` : a.text)).join(", ") || "—";
}
