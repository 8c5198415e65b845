"""Stand-in dicts of the shape ``sources.city_profile`` / ``programme_view`` return, for
rendering tests that need no database: every KPI of the catalogue, seeded values."""

from __future__ import annotations

import random
from typing import Any

from u4ssc.core.catalogue import load_catalogue

BANDS = {
    "0": "not scored",
    "1": "less than 33 % of target",
    "2": "33-66 %",
    "3": "66-95 %",
    "4": "95 %+ of target",
}
NASTY = r"#set page(fill: red) *bold* _it_ $x^2$ <lbl> @ref \ \\ `raw` // c /* c */ ] [ } { ="
TRENDS = ["on track or maintaining", "moderately improving", "stagnating", "decreasing", "no trend"]
METHOD = {"method": "u4ssc", "trend": {"kind": "sdsn_linear", "target_year": 2030}}


def _band(points: float) -> int:
    return 4 if points >= 3.8 else 3 if points >= 2.64 else 2 if points >= 1.32 else 1


def city_profile(
    *,
    name: str = "Ålesund",
    year: int = 2024,
    synthetic: bool = True,
    source: str = "SSB",
    seed: int = 1,
) -> dict[str, Any]:
    rng = random.Random(seed)
    kpis = []
    for i, k in enumerate(load_catalogue().kpis):
        scored = i % 7 != 3
        reported = i % 11 != 5
        points = float(rng.randint(1, 4)) if scored and reported else None
        band = _band(points) if points else 0
        data_points = [
            {
                "data_point": m.data_point,
                "name": m.name,
                "unit": m.unit,
                "status": "reported" if reported else "empty",
                "value": round(rng.uniform(0, 100), 2) if reported else None,
                "target": 50.0 if scored else None,
                "direction": "higher",
                "achievement": 80.0 if scored else None,
                "points": band or None,
                "band": band,
                "band_label": BANDS[str(band)],
                "projected_year": None,
                "source": source,
                "quality": 2,
                "is_synthetic": synthetic,
            }
            for m in k.data_points
        ]
        kpis.append(
            {
                "code": k.code,
                "name": k.name,
                "unit": k.unit,
                "dimension_code": k.dimension_code,
                "subdimension_code": k.subdimension_code,
                "category_code": k.category_code,
                "status": "reported" if reported else "empty",
                "scored": bool(points),
                "value": None if (k.data_points or not reported) else round(rng.uniform(0, 100), 2),
                "target": None if not scored else 50.0,
                "direction": "lower" if i % 5 == 0 else "higher",
                "achievement": None,
                "points": points,
                "band": band,
                "band_label": BANDS[str(band)],
                "trend": TRENDS[i % len(TRENDS)],
                "arrow": "",
                "projected_year": None,
                "source": source if reported else "",
                "quality": rng.randint(1, 6) if reported else None,
                "is_synthetic": synthetic and reported,
                "data_points": data_points,
            }
        )
    groups: dict[str, dict[tuple, dict[str, Any]]] = {"dim": {}, "sub": {}, "cat": {}}
    for k in load_catalogue().kpis:
        dim = (k.dimension_code,)
        sub = (k.dimension_code, k.subdimension_code)
        cat = (k.dimension_code, k.subdimension_code, k.category_code)
        groups["dim"].setdefault(
            dim, {"dimension_code": k.dimension_code, "dimension_name": k.dimension}
        )
        groups["sub"].setdefault(
            sub,
            {
                "dimension_code": k.dimension_code,
                "subdimension_code": k.subdimension_code,
                "subdimension_name": k.subdimension,
            },
        )
        groups["cat"].setdefault(
            cat,
            {
                "dimension_code": k.dimension_code,
                "subdimension_code": k.subdimension_code,
                "category_code": k.category_code,
                "category_name": k.category,
            },
        )
    for level in groups.values():
        for entry in level.values():
            pct = round(rng.uniform(10, 100), 2)
            band = _band(pct / 25)
            entry.update(
                percentage=pct,
                band=band,
                band_label=BANDS[str(band)],
                kpis_scored=3,
                trend="stagnating",
            )
    return {
        "city": {
            "id": 1,
            "slug": "alesund",
            "name": name,
            "kind": "city",
            "country_code": "NO",
            "population": 67000,
            "is_synthetic": synthetic,
        },
        "year": year,
        "evaluation": {
            "state": "published",
            "published": True,
            "is_synthetic": synthetic,
            "published_at": f"{year + 1}-03-01",
        },
        "target_set": {
            "slug": "default",
            "name": "Programme default",
            "kind": "programme",
            "description": "",
            "method": METHOD,
        },
        "bands": BANDS,
        "dimensions": list(groups["dim"].values()),
        "subdimensions": list(groups["sub"].values()),
        "categories": list(groups["cat"].values()),
        "kpis": kpis,
    }


def programme_view(*, cities: int = 12, year: int = 2024, synthetic: bool = True) -> dict:
    profile = city_profile(year=year)
    categories = [
        {k: c[k] for k in ("dimension_code", "subdimension_code", "category_code", "category_name")}
        for c in profile["categories"]
    ]
    rows = []
    for i in range(cities):
        p = city_profile(name=f"City {i:02d} Æøå", year=year, seed=i, synthetic=synthetic)
        rows.append(
            {
                "city": p["city"] | {"slug": f"city-{i:02d}", "name": p["city"]["name"]},
                "published": i % 6 != 5,
                "is_synthetic": synthetic,
                "dimensions": p["dimensions"] if i % 6 != 5 else [],
                "categories": p["categories"] if i % 6 != 5 else [],
                "kpis_scored": 60,
                "history": [
                    {"year": y, "dimensions": p["dimensions"]} for y in (year - 2, year - 1, year)
                ],
            }
        )
    return {
        "group": {
            "id": 9,
            "slug": "norway",
            "name": "National U4SSC Programme Norway",
            "kind": "national_programme",
            "country_code": "NO",
            "population": None,
            "is_synthetic": False,
        },
        "year": year,
        "target_set": profile["target_set"],
        "bands": BANDS,
        "categories": categories,
        "cities": rows,
        "opportunities": [
            {"code": k["code"], "name": k["name"], "scored": cities, "below": cities - j}
            for j, k in enumerate(profile["kpis"][:15])
        ],
    }
