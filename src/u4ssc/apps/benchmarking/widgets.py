"""The embeddable widgets' frame sizes: the code the profile offers to copy gives the
iframe these sizes, and the widget pages are laid out to fit them (the browser tests
check that nothing scrolls inside the frame, in English and Bokmål).

A widget's content also follows the frame's width: the wheel scales down in a narrower
frame and a tile's text wraps, so a site may give a smaller width than the code does.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import escape

# The wheel widget: title, overall score, the wheel, the bands, the target set and a link.
WHEEL_FRAME = (420, 660)
# The wheel's own size inside it (pixels, square; names along the spokes included).
WHEEL_SIZE = 390

TILE_WIDTH = 380
# A single-value tile: title (two lines), city and year, value, band, target, trend,
# projection, source (two lines at most) and the link.
TILE_HEIGHT = 330
# Each data point of a multi-point KPI adds one row to the tile's table (and the table
# its header).
TILE_POINT_ROW = 22
TILE_TABLE = 12


def tile_frame(tile: dict[str, Any]) -> tuple[int, int]:
    """(width, height) of the iframe for one KPI tile (``queries.city_profile``'s tile)."""
    points = len(tile.get("data_points") or [])
    if not points:
        return TILE_WIDTH, TILE_HEIGHT
    # the value line and the target give way to the table of data points
    return TILE_WIDTH, TILE_HEIGHT - 60 + TILE_TABLE + TILE_POINT_ROW * (points + 1)


def embed_code(url: str, title: str, size: tuple[int, int]) -> str:
    """The iframe code of a widget at ``url`` (shown in a textarea, escaped there)."""
    width, height = size
    return (
        f'<iframe src="{escape(url)}" title="{escape(title)}" width="{width}" '
        f'height="{height}" style="border:0;max-width:100%"></iframe>'
    )
