// Actors as nodes, dyads as edges coloured by CAMEO quad class. A small deterministic force
// layout (nodes ≤ a few hundred, so the O(n²) repulsion costs milliseconds).
import { clear, svg, tooltip } from "./dom.js";

const W = 600, H = 400;

function layout(nodes, edges) {
  const n = nodes.length;
  const pos = nodes.map((_, i) => {
    const a = (2 * Math.PI * i) / Math.max(1, n);
    return { x: W / 2 + 150 * Math.cos(a), y: H / 2 + 120 * Math.sin(a), vx: 0, vy: 0 };
  });
  const index = new Map(nodes.map((d, i) => [d.key, i]));
  const links = edges.map((e) => [index.get(e.source), index.get(e.target)]);
  const ideal = Math.min(80, Math.sqrt((W * H) / Math.max(1, n)) * 0.45);
  for (let it = 0; it < 250; it++) {
    const t = 1 - it / 250;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y;
        const d2 = Math.max(dx * dx + dy * dy, 1);
        const f = (ideal * ideal) / d2;
        pos[i].vx += dx * f * 0.02; pos[i].vy += dy * f * 0.02;
        pos[j].vx -= dx * f * 0.02; pos[j].vy -= dy * f * 0.02;
      }
    }
    for (const [a, b] of links) {
      if (a === b) continue;
      const dx = pos[b].x - pos[a].x, dy = pos[b].y - pos[a].y;
      const d = Math.max(Math.sqrt(dx * dx + dy * dy), 1);
      const f = ((d - ideal) / d) * 0.1;
      pos[a].vx += dx * f; pos[a].vy += dy * f; pos[b].vx -= dx * f; pos[b].vy -= dy * f;
    }
    for (const p of pos) {
      p.vx += (W / 2 - p.x) * 0.03; p.vy += (H / 2 - p.y) * 0.04;
      const v = Math.sqrt(p.vx * p.vx + p.vy * p.vy), cap = 10 * t + 0.5;
      if (v > cap) { p.vx *= cap / v; p.vy *= cap / v; }
      p.x = Math.min(W - 20, Math.max(20, p.x + p.vx));
      p.y = Math.min(H - 12, Math.max(12, p.y + p.vy));
      p.vx *= 0.5; p.vy *= 0.5;
    }
  }
  // stretch the result to the panel: the forces settle on a shape, not on a size
  const xs = pos.map((p) => p.x), ys = pos.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  for (const p of pos) {
    p.x = 20 + ((p.x - x0) / Math.max(x1 - x0, 1)) * (W - 150);
    p.y = 14 + ((p.y - y0) / Math.max(y1 - y0, 1)) * (H - 28);
  }
  return pos;
}

export function drawNetwork(root, data, activeKey, onActor) {
  clear(root);
  const pos = layout(data.nodes, data.edges);
  const index = new Map(data.nodes.map((d, i) => [d.key, i]));
  for (const e of data.edges) {
    const a = pos[index.get(e.source)], b = pos[index.get(e.target)];
    root.append(svg("line", {
      class: `edge q${e.quad_class || 0}`, x1: a.x, y1: a.y, x2: b.x, y2: b.y,
      "stroke-width": 1 + Math.sqrt(e.n), "data-quad": e.quad_class ?? "", "data-n": e.n,
    }, tooltip(`${e.source} → ${e.target}: ${e.n} event(s), quad class ${e.quad_class ?? "?"}`)));
  }
  data.nodes.forEach((d, i) => {
    const label = d.label.length > 26 ? d.label.slice(0, 25) + "…" : d.label;
    root.append(svg("circle", {
      class: "node" + (d.key === activeKey ? " active" : ""), cx: pos[i].x, cy: pos[i].y,
      r: 4 + 2 * Math.sqrt(d.n), "data-key": d.key, "data-n": d.n,
      onclick: () => onActor(d.key),
    }, tooltip(`${d.label} (${d.key}): ${d.n}`)));
    root.append(svg("text", { x: pos[i].x + 7, y: pos[i].y + 3, text: label }));
  });
}
