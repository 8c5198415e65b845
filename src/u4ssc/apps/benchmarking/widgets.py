"""The embeddable widgets' frame sizes: the code the profile offers to copy gives the
iframe these sizes, and the widget pages are laid out to fit them (the browser tests
check that nothing scrolls inside the frame, in English and Bokmål).

A widget's content also follows the frame's width: the wheel scales down in a narrower
frame and a tile's text wraps, so a site may give a smaller width than the code does.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext as _

from u4ssc.core.catalogue import load_catalogue

# The wheel widget: title, overall score, the wheel, the bands, the target set and a link.
WHEEL_FRAME = (420, 660)
# The wheel's own size inside it (pixels, square; names along the spokes included).
WHEEL_SIZE = 390

TILE_WIDTH = 380
# A single-value tile: title (two lines), city and year, value, band, target, trend,
# projection, source (two lines at most) and the link.
TILE_HEIGHT = 330
# A multi-point KPI's tile lists its data points stacked instead of the value and target
# (partials/data_points.html): each takes its name's lines and a line of value and target.
# Names are counted for every data point of the KPI in the active language (Bokmål names
# are longer: "Nitrogendioksid (NO2)"), whether the year shown reports it or not, so the
# frame also fits a later year that reports more; a name longer than POINT_NAME_CHARS
# takes another line (the name's column is about 220 pixels even in a 320-pixel frame).
# The value line and the target give way to the list (-60), whose margins take 8.
TILE_POINTS = -52
TILE_POINT = 36
TILE_POINT_NAME_LINE = 16
POINT_NAME_CHARS = 28


def tile_frame(tile: dict[str, Any]) -> tuple[int, int]:
    """(width, height) of the iframe for one KPI tile (``queries.city_profile``'s tile)."""
    if not tile.get("has_data_points"):
        return TILE_WIDTH, TILE_HEIGHT
    names = [_(m.name) for m in load_catalogue().get(tile["kpi_code"]).data_points]
    extra = sum(math.ceil(len(name) / POINT_NAME_CHARS) - 1 for name in names)
    height = TILE_HEIGHT + TILE_POINTS + TILE_POINT * len(names) + TILE_POINT_NAME_LINE * extra
    return TILE_WIDTH, height


def embed_code(url: str, title: str, size: tuple[int, int]) -> str:
    """The iframe code of a widget at ``url`` (shown in a textarea, escaped there)."""
    width, height = size
    return (
        f'<iframe src="{escape(url)}" title="{escape(title)}" width="{width}" '
        f'height="{height}" style="border:0;max-width:100%"></iframe>'
    )
