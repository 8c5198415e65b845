"""Task functions by name. An app registers ``@task("app.name")`` on a function
``fn(progress: Progress, **params) -> dict`` (the dict becomes ``Task.result``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

TaskFn = Callable[..., dict[str, Any]]
_REGISTRY: dict[str, TaskFn] = {}


def task(name: str) -> Callable[[TaskFn], TaskFn]:
    def register(fn: TaskFn) -> TaskFn:
        _REGISTRY[name] = fn
        return fn

    return register


def get(name: str) -> TaskFn:
    if name not in _REGISTRY:
        # Task modules register on import; make sure every app's tasks module is loaded.
        import importlib

        from django.apps import apps
        from django.utils.module_loading import module_has_submodule

        for config in apps.get_app_configs():
            if module_has_submodule(config.module, "tasks"):
                importlib.import_module(f"{config.name}.tasks")
    return _REGISTRY[name]
