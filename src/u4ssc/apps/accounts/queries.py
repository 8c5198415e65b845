from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from u4ssc.apps.accounts.models import ApiToken, RoleAssignment


def roles_of(user: Any) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(user_id=user.pk).select_related("organisation")


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user_id=user.pk)
