"""API endpoints of this app (mounted by ``u4ssc.web.api``)."""

from __future__ import annotations

from ninja import Router

router = Router()
