"""Build ``models/country_outlines.json``: the country borders the report's map draws offline.

Why this exists: the report (``pipeline/report.py``) must open from disk with no network, and no
well-kept PyPI package ships country shapes (geopandas dropped its Natural Earth copy, geodatasets
and cartopy download theirs at run time). The npm registry's ``world-atlas`` package (Natural
Earth 1:110m, public domain, ISC-licensed packaging) does ship them as TopoJSON. This developer
tool decodes its arcs once; its output is committed and nothing here runs at pipeline run time.

Each TopoJSON arc is a border shared by at most two countries, so drawing every arc once draws
every outline once: no polygons are rebuilt. Coordinates are rounded to 0.01 degree (about 1 km,
far finer than the 1:110m shapes), and a line that crosses the antimeridian is cut there so that
no stroke runs across the whole map.

Usage::

    npm install --prefix /tmp/atlas world-atlas@2
    python tools/build_outlines.py /tmp/atlas/node_modules/world-atlas/countries-110m.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

SOURCE = "world-atlas 2.0.2 countries-110m.json (Natural Earth 1:110m, public domain)"
OUT = Path(__file__).resolve().parent.parent / "models" / "country_outlines.json"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc of a quantized TopoJSON topology as (longitude, latitude) points."""
    (scale_x, scale_y), (shift_x, shift_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def cut_at_antimeridian(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """The line in pieces, cut wherever one step jumps more than half the globe."""
    pieces = [[points[0]]]
    for before, point in zip(points, points[1:], strict=False):
        if abs(point[0] - before[0]) > 180:
            pieces.append([])
        pieces[-1].append(point)
    return [piece for piece in pieces if len(piece) > 1]


def flat(points: list[tuple[float, float]]) -> list[float]:
    """[lon, lat, lon, lat, ...] rounded to 0.01 degree, repeated points dropped."""
    out: list[float] = []
    for lon, lat in points:
        pair = [round(lon, 2), round(lat, 2)]
        if out[-2:] != pair:
            out.extend(pair)
    return out


def main(argv: list[str] | None = None) -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("topojson", type=Path, help="world-atlas's countries-110m.json")
    args.add_argument("--out", type=Path, default=OUT)
    options = args.parse_args(argv)
    topology = json.loads(options.topojson.read_text(encoding="utf-8"))
    lines = [flat(piece) for arc in decode_arcs(topology) for piece in cut_at_antimeridian(arc)]
    lines = [line for line in lines if len(line) >= 4]
    options.out.write_text(
        json.dumps({"source": SOURCE, "lines": lines}, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"{options.out}: {len(lines)} lines, {sum(len(line) for line in lines) // 2} points")


if __name__ == "__main__":
    main()
