"""Build the dashboard's bundled world outline (run once; the output is committed).

Input: ``land-110m.json`` from the npm package ``world-atlas`` 2.0.2 (ISC licence; data from
Natural Earth, public domain), e.g. ``npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz``.
Output: ``src/newswire/serve/static/world.json``: ``{"d": <SVG path>}`` in equirectangular
coordinates (x = longitude, y = -latitude, 0.1 degree), so the browser draws it with no
projection library and no tiles.

    python scripts/build_world_outline.py package/land-110m.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/newswire/serve/static/world.json"


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:  # quantized, delta-encoded (TopoJSON spec)
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring(arcs: list, refs: list[int]) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for i in refs:
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(a if not pts else a[1:])
    return pts


def path(polys: list[list[list[int]]], arcs: list) -> str:
    out = []
    for poly in polys:
        for refs in poly:
            pts, prev = [], None
            for lon, lat in ring(arcs, refs):
                p = (round(lon, 1), round(-lat, 1))
                if p != prev:
                    pts.append(f"{p[0]:g} {p[1]:g}")
                    prev = p
            if len(pts) >= 3:
                out.append("M" + "L".join(pts) + "Z")
    return "".join(out)


def main(src: str) -> None:
    topo = json.loads(Path(src).read_text())
    arcs = decode_arcs(topo)
    geoms = topo["objects"]["land"]["geometries"]
    polys: list = []
    for g in geoms:
        polys += g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
    d = path(polys, arcs)
    OUT.write_text(json.dumps({"source": "Natural Earth 1:110m land via world-atlas 2.0.2",
                               "d": d}))
    print(f"{OUT}: {len(d)} characters")


if __name__ == "__main__":
    main(sys.argv[1])
