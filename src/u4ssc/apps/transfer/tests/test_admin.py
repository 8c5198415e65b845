"""The admin of import profiles validates mappings; shipped profiles are read-only."""

from __future__ import annotations

import json

import pytest

from u4ssc.apps.transfer.actions import builtin_profile_documents
from u4ssc.apps.transfer.models import ImportProfile

pytestmark = pytest.mark.django_db


def test_a_malformed_mapping_is_refused_with_its_reason(admin_client):
    mapping = builtin_profile_documents()[0]["mapping"]
    bad = {**mapping, "values": [{**mapping["values"][0], "kpi": "XX: 9Z"}]}
    response = admin_client.post(
        "/admin/transfer/importprofile/add/",
        {
            "name": "Broken",
            "slug": "broken",
            "description": "",
            "file_format": "csv",
            "mapping": json.dumps(bad),
        },
    )
    assert response.status_code == 200
    assert "Unknown KPI code" in response.content.decode()
    assert not ImportProfile.objects.filter(slug="broken").exists()


def test_a_valid_mapping_is_saved(admin_client):
    mapping = builtin_profile_documents()[0]["mapping"]
    response = admin_client.post(
        "/admin/transfer/importprofile/add/",
        {
            "name": "My CDP",
            "slug": "my-cdp",
            "description": "",
            "file_format": "csv",
            "mapping": json.dumps(mapping),
        },
    )
    assert response.status_code == 302
    assert ImportProfile.objects.get(slug="my-cdp").mapping == mapping


def test_shipped_profiles_are_read_only_and_can_be_copied(admin_client):
    profile = ImportProfile.objects.get(slug="cdp-citywide-emissions-2019")
    page = admin_client.get(f"/admin/transfer/importprofile/{profile.pk}/change/")
    assert b'name="mapping"' not in page.content  # shown, not editable
    admin_client.post(
        "/admin/transfer/importprofile/",
        {"action": "copy_profiles", "_selected_action": [profile.pk]},
    )
    copy = ImportProfile.objects.get(slug="cdp-city-wide-emissions-2019-copy")
    assert not copy.builtin and copy.mapping == profile.mapping
