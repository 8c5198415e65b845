"""Small XMILE documents written inline, so each test shows the model it runs."""

from __future__ import annotations

from u4ssc.core.simulation import Model, load_model_bytes


def xmile(
    variables: str,
    *,
    dims: str = "",
    start: float = 0,
    stop: float = 10,
    dt: float = 1,
    method: str = "Euler",
    time_units: str = "",
    extra: str = "",
) -> bytes:
    """An XMILE file around the given ``<variables>`` content."""
    tu = f' time_units="{time_units}"' if time_units else ""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
<header><name>test</name><vendor>u4ssc tests</vendor><product version="1">hand</product></header>
<sim_specs method="{method}"{tu}><start>{start}</start><stop>{stop}</stop><dt>{dt}</dt></sim_specs>
<dimensions>{dims}</dimensions>
{extra}
<model><variables>
{variables}
</variables></model>
</xmile>
""".encode()


def model(variables: str, **kwargs: object) -> Model:
    units = str(kwargs.pop("units", "off"))
    return load_model_bytes(xmile(variables, **kwargs), "test.xmile", units=units)  # type: ignore[arg-type]
