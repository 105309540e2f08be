#!/usr/bin/env python3
"""Writes a GeoJSON of N valid building footprints for `sdp import buildings`, spread over the grids
of a grids GeoJSON (default: the pilot's). Each footprint is a ~8 m square whose corners all lie inside
its grid, with every property the importer requires. Deterministic for a given --seed.

  scripts/bench/footprints.py --count 200000 --out /tmp/footprints.geojson
"""
import argparse
import json
import random


def inside(x, y, rings):
    # Even-odd rule over every ring of a MultiPolygon (holes included).
    hit = False
    for ring in rings:
        j = len(ring) - 1
        for i in range(len(ring)):
            xi, yi = ring[i][0], ring[i][1]
            xj, yj = ring[j][0], ring[j][1]
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                hit = not hit
            j = i
    return hit


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--grids", default="gis-data/pilot/grids.geojson")
    parser.add_argument("--out", required=True)
    parser.add_argument("--prefix", default="BENCH")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()

    rnd = random.Random(args.seed)
    grids = []
    for feature in json.load(open(args.grids, encoding="utf-8"))["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings = [ring for polygon in polygons for ring in polygon]
        xs = [p[0] for ring in rings for p in ring]
        ys = [p[1] for ring in rings for p in ring]
        grids.append((feature["properties"]["code"], rings, min(xs), max(xs), min(ys), max(ys)))

    half = 0.00004  # ~4 m in longitude and latitude at 26.6° N
    with open(args.out, "w", encoding="utf-8") as out:
        out.write('{"type":"FeatureCollection","features":[\n')
        for n in range(args.count):
            code, rings, x0, x1, y0, y1 = grids[n % len(grids)]
            while True:
                x, y = rnd.uniform(x0, x1), rnd.uniform(y0, y1)
                corners = [(x - half, y - half), (x + half, y - half), (x + half, y + half), (x - half, y + half)]
                if all(inside(cx, cy, rings) for cx, cy in corners):
                    break
            ring = [[round(cx, 7), round(cy, 7)] for cx, cy in corners]
            ring.append(ring[0])
            feature = {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {
                    "code": f"{args.prefix}-{n + 1:07d}", "gridCode": code, "use": "residential",
                    "floors": 1 + n % 12, "street": "黔灵镇", "community": "改茶村", "road": "改茶北路",
                    "number": f"{n + 1}号", "postcode": "550001", "landlord": None,
                },
            }
            out.write(("," if n else "") + json.dumps(feature, ensure_ascii=False, separators=(",", ":")) + "\n")
        out.write("]}\n")


if __name__ == "__main__":
    main()
