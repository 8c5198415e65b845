"""The real data the demo ships: exact copies or reproducible extracts of ../shared."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from u4ssc.apps.demo.sources import (
    CDP_DIR,
    CDP_FILES,
    VERIFIED_FILE,
    canonical_report_url,
    verified_values,
)
from u4ssc.core.catalogue import load_catalogue
from u4ssc.core.checks import Entry, compute

ROOT = Path(__file__).resolve().parents[5]
SHARED = ROOT.parent / "shared"
needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="../shared is not there")


@needs_shared
def test_the_verified_values_are_an_exact_copy_of_the_reference():
    reference = SHARED / "reference" / "norway-verified-values.csv"
    assert VERIFIED_FILE.read_bytes() == reference.read_bytes()


@needs_shared
def test_the_copies_of_the_cdp_files_are_up_to_date():
    tool = ROOT / "tools" / "extract_demo_cdp.py"
    result = subprocess.run(
        [sys.executable, str(tool), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@needs_shared
def test_the_copies_keep_the_header_and_rows_of_the_originals_byte_for_byte():
    # given the demo's copy of each CDP file it imports, and the file as published
    assert sorted(p.name for p in CDP_DIR.glob("*.csv")) == sorted(f.name for f in CDP_FILES)
    for cdp in CDP_FILES:
        original = (SHARED / "data" / "cdp-citywide-emissions" / cdp.name).read_bytes()
        copy = cdp.path.read_bytes()
        lines = copy.splitlines(keepends=True)
        # then the copy starts with the original's header line, holds only text of the
        # original, and leaves most of the original's rows out (the other cities')
        assert original.startswith(lines[0])
        assert all(line in original for line in lines)
        assert 10 < len(lines) < original.count(b"\n") / 5


def test_report_pages_are_linked_at_itu_not_through_a_proxy():
    proxied = (
        "https://1f8a81b9b0707b63-19211.webchannel-proxy.scarabresearch.com/en/publications/"
        "Documents/tsb/2021-U4SSC-Verification-Report-Stavanger-Norway/files/basic-html/"
        "page17.html"
    )
    assert canonical_report_url(proxied) == (
        "https://itu.int/en/publications/Documents/tsb/2021-U4SSC-Verification-Report-"
        "Stavanger-Norway/files/basic-html/page17.html"
    )
    karmoy = "https://itu.int/en/publications/Documents/tsb/x/page14.html"
    assert canonical_report_url(karmoy) == karmoy
    assert canonical_report_url("https://example.org/other") == "https://example.org/other"


def test_verified_values_resolve_to_the_catalogue_and_pass_its_checks():
    cat = load_catalogue()
    values = verified_values(cat)
    assert {(v.city, v.year) for v in values} == {("Karmøy", 2020), ("Stavanger", 2021)}
    assert len(values) == 28
    by_key = {(v.city, v.kpi_code, v.data_point): v for v in values}
    assert by_key[("Karmøy", "EC: ICT: ICT: 5C", "")].value == 78  # "5C(?)" in the file
    assert by_key[("Stavanger", "EC: ICT: PS: 1A", "percent")].value == 100
    assert by_key[("Stavanger", "EC: I: B: 2A", "")].status == "not_available"
    for v in values:
        assert v.source.startswith("U4SSC Verification Report") and v.url in v.source
        if v.status == "reported":
            m = cat.measurand(v.kpi_code, v.data_point)
            assert compute(m, Entry(value=v.value, unit=v.unit)).errors == (), v
