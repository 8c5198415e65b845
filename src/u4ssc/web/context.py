from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

import u4ssc


def site(request: HttpRequest) -> dict[str, Any]:
    return {"U4SSC_VERSION": u4ssc.__version__, "DEBUG": settings.DEBUG}
