// Stacked bars of events per type per bucket (day, week or month); a click filters by type.
import { clear, svg, el, tooltip, typeColour } from "./dom.js";

const W = 1000, H = 190, PAD = { l: 34, r: 8, t: 8, b: 22 };

export function drawTimeline(root, legend, data, types, onType) {
  clear(root);
  clear(legend);
  const buckets = [...new Set(data.buckets.map((b) => b.t))].sort();
  const byBucket = new Map(buckets.map((t) => [t, []]));
  for (const b of data.buckets) byBucket.get(b.t).push(b);
  const totals = buckets.map((t) => byBucket.get(t).reduce((s, b) => s + b.n, 0));
  const max = Math.max(1, ...totals);
  const plotW = W - PAD.l - PAD.r, plotH = H - PAD.t - PAD.b;
  const step = plotW / Math.max(1, buckets.length);
  const barW = Math.max(2, Math.min(48, step * 0.8));
  root.append(svg("line", { x1: PAD.l, x2: W - PAD.r, y1: H - PAD.b, y2: H - PAD.b, stroke: "#999" }));
  root.append(svg("text", { x: 2, y: PAD.t + 10, text: String(max) }));
  root.append(svg("text", { x: 2, y: H - PAD.b, text: "0" }));
  const labelEvery = Math.max(1, Math.ceil(buckets.length / 10));
  buckets.forEach((t, i) => {
    const x = PAD.l + i * step + (step - barW) / 2;
    let y = H - PAD.b;
    for (const b of byBucket.get(t).sort((p, q) => types.indexOf(p.type) - types.indexOf(q.type))) {
      const h = (b.n / max) * plotH;
      y -= h;
      root.append(svg("rect", {
        class: "seg", x: x.toFixed(1), y: y.toFixed(1), width: barW.toFixed(1),
        height: Math.max(h, 0.5).toFixed(1), fill: typeColour(types, b.type),
        "data-type": b.type, "data-t": t, "data-n": b.n,
        onclick: () => onType(b.type),
      }, tooltip(`${t} · ${b.type}: ${b.n}`)));
    }
    if (i % labelEvery === 0) {
      root.append(svg("text", { x: (x + barW / 2).toFixed(1), y: H - 6, "text-anchor": "middle",
        text: data.interval === "month" ? t.slice(0, 7) : t.slice(5) + (i === 0 ? ` ${t.slice(0, 4)}` : "") }));
    }
  });
  const present = [...new Set(data.buckets.map((b) => b.type))].sort();
  for (const type of present) {
    const swatch = el("i");
    swatch.style.background = typeColour(types, type); // CSSOM: allowed by the CSP, unlike style=""
    legend.append(el("button", { type: "button", "data-type": type, onclick: () => onType(type) },
      swatch, type));
  }
  return totals.reduce((s, n) => s + n, 0);
}
