"""The admin shows KPI data and its history but cannot add, change or delete them."""

from __future__ import annotations

import pytest

from u4ssc.apps.evaluations.models import Evaluation, KPIValue, ValueRevision
from u4ssc.apps.evaluations.tests.conftest import INTERNET

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["evaluation", "kpivalue", "valuerevision"])
def test_the_admin_lists_and_shows_but_never_writes(admin_client, world, enter, model):
    # given a stored value with its history
    assert enter(INTERNET, value=90).ok
    obj = {
        "evaluation": Evaluation.objects.get(),
        "kpivalue": KPIValue.objects.get(),
        "valuerevision": ValueRevision.objects.get(),
    }[model]
    base = f"/admin/evaluations/{model}/"
    # then its list and its page open, read-only
    assert admin_client.get(base).status_code == 200
    page = admin_client.get(f"{base}{obj.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    # and adding, changing and deleting are refused
    assert admin_client.get(f"{base}add/").status_code == 403
    assert admin_client.post(f"{base}add/", {}).status_code == 403
    assert admin_client.post(f"{base}{obj.pk}/change/", {"value": "1"}).status_code == 403
    assert admin_client.post(f"{base}{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    assert KPIValue.objects.get().value == 90 and ValueRevision.objects.count() == 1
