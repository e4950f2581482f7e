// Event places on a bundled equirectangular world outline (x = lon, y = -lat): no tiles, no
// projection library. Nearby places merge into a numbered cluster whose size depends on zoom.
import { clear, svg, tooltip, getJSON } from "./dom.js";

let outline = null;
const view = { cx: 0, cy: 0, k: 1 };

export async function loadOutline() {
  if (!outline) outline = (await getJSON("/static/world.json")).d;
  return outline;
}

function viewBox() {
  const w = 360 / view.k, h = 180 / view.k;
  return [view.cx - w / 2, view.cy - h / 2, w, h];
}

export function zoom(factor, cx, cy) {
  view.k = Math.min(64, Math.max(1, view.k * factor));
  if (cx !== undefined) { view.cx = cx; view.cy = cy; }
  if (view.k === 1) { view.cx = 0; view.cy = 0; }
}

export function resetView() { view.cx = 0; view.cy = 0; view.k = 1; }

// Frame the places shown (used once, before the analyst moves the map).
export function fitView(features) {
  if (!features.length) return;
  const xs = features.map((f) => f.geometry.coordinates[0]);
  const ys = features.map((f) => -f.geometry.coordinates[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  view.k = Math.min(8, Math.max(1, 0.6 * Math.min(360 / Math.max(x1 - x0, 1), 180 / Math.max(y1 - y0, 1))));
  view.cx = (x0 + x1) / 2; view.cy = (y0 + y1) / 2;
}

function clusters(features, cell) {
  const groups = new Map();
  for (const f of features) {
    const [lon, lat] = f.geometry.coordinates;
    const key = `${Math.floor(lon / cell)}:${Math.floor(-lat / cell)}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(f);
  }
  return [...groups.values()];
}

export function drawMap(root, geo, onPlace, redraw) {
  clear(root);
  const [x, y, w, h] = viewBox();
  root.setAttribute("viewBox", `${x} ${y} ${w} ${h}`);
  for (let lon = -150; lon <= 150; lon += 30) {
    root.append(svg("line", { class: "grat", x1: lon, x2: lon, y1: -90, y2: 90 }));
  }
  for (let lat = -60; lat <= 60; lat += 30) {
    root.append(svg("line", { class: "grat", x1: -180, x2: 180, y1: lat, y2: lat }));
  }
  if (outline) root.append(svg("path", { class: "land", d: outline }));
  const unit = w / 1000; // map units per pixel of a ~1000 px wide map
  const cell = unit * 28;
  let shown = 0;
  for (const group of clusters(geo.features, cell)) {
    const n = group.reduce((s, f) => s + f.properties.n, 0);
    shown += n;
    const lon = group.reduce((s, f) => s + f.geometry.coordinates[0], 0) / group.length;
    const lat = group.reduce((s, f) => s + f.geometry.coordinates[1], 0) / group.length;
    const r = unit * (5 + 3 * Math.sqrt(n));
    if (group.length > 1) {
      const names = group.map((f) => `${f.properties.name} (${f.properties.n})`).join(", ");
      root.append(svg("circle", {
        class: "mark cluster", cx: lon, cy: -lat, r, "data-n": n, "data-places": group.length,
        onclick: () => { zoom(3, lon, -lat); redraw(); },
      }, tooltip(`${group.length} places, ${n} events: ${names}`)));
      root.append(svg("text", { class: "count", x: lon, y: -lat, "font-size": unit * 12, text: String(n) }));
      continue;
    }
    const p = group[0].properties;
    const precision = p.precision || "point";
    // a country- or region-level place is drawn wide: the event happened somewhere in it
    const radius = precision === "country" || precision === "region" ? r * 2.2 : r;
    root.append(svg("circle", {
      class: `mark place prec-${precision}`, cx: lon, cy: -lat, r: radius, "data-n": n,
      "data-name": p.name, "data-precision": precision,
      onclick: () => onPlace(group[0]),
    }, tooltip(`${p.name}${p.country ? " (" + p.country + ")" : ""} · ${precision} · ${n} events: ${p.types.join(", ")}`)));
    if (n > 1) {
      root.append(svg("text", { class: "count", x: lon, y: -lat, "font-size": unit * 10, text: String(n) }));
    }
  }
  return shown;
}

// Wheel zoom around the pointer and drag to pan.
export function interact(root, redraw) {
  const toMap = (evt) => {
    const [x, y, w, h] = viewBox();
    const box = root.getBoundingClientRect();
    return [x + ((evt.clientX - box.left) / box.width) * w, y + ((evt.clientY - box.top) / box.height) * h];
  };
  root.addEventListener("wheel", (evt) => {
    evt.preventDefault();
    const [mx, my] = toMap(evt);
    const f = evt.deltaY < 0 ? 1.5 : 1 / 1.5;
    const k0 = view.k;
    zoom(f);
    const s = k0 / view.k; // keep the point under the pointer fixed
    if (view.k > 1) { view.cx = mx + (view.cx - mx) * s; view.cy = my + (view.cy - my) * s; }
    redraw();
  }, { passive: false });
  let drag = null;
  root.addEventListener("pointerdown", (evt) => {
    if (evt.target.classList.contains("mark")) return;
    drag = { x: evt.clientX, y: evt.clientY, cx: view.cx, cy: view.cy };
  });
  window.addEventListener("pointerup", () => { drag = null; });
  root.addEventListener("pointermove", (evt) => {
    if (!drag) return;
    const box = root.getBoundingClientRect();
    const [, , w, h] = viewBox();
    view.cx = drag.cx - ((evt.clientX - drag.x) / box.width) * w;
    view.cy = drag.cy - ((evt.clientY - drag.y) / box.height) * h;
    redraw();
  });
}
