"""The programme's default target set: only targets that have a public source.

The U4SSC benchmark values are not published (domain brief, section 3), so the default set
holds targets taken from published commitments (SDG targets, WHO air quality guidelines, EU
law, the Global Biodiversity Framework) and leaves every other KPI without a target.
Administrators edit target sets in the database; this is their starting point.

:func:`load_default_targets` returns a list of plain dicts (copies; mutate freely)::

    {
        "kpi_code": "EN: EN: AQ: 1C",   # as printed in the catalogue (KPI.code)
        "kpi_key": "EN: EN: AQ: 1C",    # normalised (KPI.key)
        "data_point": "pm2_5",           # "" for a single-value KPI
        "value": 5.0,                    # in the measurand's unit
        "direction": "lower",            # "higher" | "lower" | "range" (as the measurand)
        "range_low": None, "range_high": None,   # set for "range" only
        "target_year": None,             # the year the commitment names, if any
        "source": "WHO global air quality guidelines (2021): PM2.5 annual mean 5 µg/m³",
        "url": "https://www.who.int/publications/i/item/9789240034228",
        "note": "",                      # how the source applies to a city, caveats
    }

``source`` + ``" "`` + ``url`` fits the 500 characters of ``Target.source``.
"""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from typing import Any

from u4ssc.core.catalogue import CatalogueError, load_catalogue

_DATA_PACKAGE = "u4ssc.core.targets.data"
DEFAULT_VERSION = "2026.1"
_FIELDS = (
    "kpi_code",
    "kpi_key",
    "data_point",
    "value",
    "direction",
    "range_low",
    "range_high",
    "target_year",
    "source",
    "url",
    "note",
)


@functools.cache
def _load(version: str) -> dict[str, Any]:
    path = resources.files(_DATA_PACKAGE) / f"default-targets-{version}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogueError(f"cannot read default targets {version}: {exc}") from exc
    catalogue = load_catalogue(data["catalogue_version"])
    targets = []
    for rec in data["targets"]:
        # Resolving through the catalogue rejects unknown codes and data points at load time.
        kpi = catalogue.get(rec["kpi_code"])
        measurand = catalogue.measurand(kpi.key, rec.get("data_point", ""))
        t = {
            "kpi_code": kpi.code,
            "kpi_key": kpi.key,
            "data_point": measurand.data_point,
            "value": float(rec["value"]),
            "direction": rec["direction"],
            "range_low": None if rec.get("range_low") is None else float(rec["range_low"]),
            "range_high": None if rec.get("range_high") is None else float(rec["range_high"]),
            "target_year": rec.get("target_year"),
            "source": rec["source"],
            "url": rec.get("url", ""),
            "note": rec.get("note", ""),
        }
        if not t["source"]:
            raise CatalogueError(f"default target for {t['kpi_code']} has no source")
        order = [m.data_point for m in kpi.measurands()].index(measurand.data_point)
        targets.append(((kpi.position, order), t))
    targets.sort(key=lambda pair: pair[0])
    return {**{k: v for k, v in data.items() if k != "targets"}, "targets": [t for _, t in targets]}


def default_target_set(version: str = DEFAULT_VERSION) -> dict[str, Any]:
    """The default set with its metadata: ``version``, ``catalogue_version``, ``name``,
    ``description`` and ``targets`` (see :func:`load_default_targets`)."""
    return copy.deepcopy(_load(version))


def load_default_targets(version: str = DEFAULT_VERSION) -> list[dict[str, Any]]:
    """The default targets, one dict per (KPI, data point), in catalogue order."""
    return copy.deepcopy(_load(version)["targets"])


TARGET_FIELDS: tuple[str, ...] = _FIELDS

__all__ = ["DEFAULT_VERSION", "TARGET_FIELDS", "default_target_set", "load_default_targets"]
