"""Finding what the project's own apps contribute, without the core importing them.

The core asks each of the project's apps for a module by name (`access` for permission
rules, `audit_actions` for the audit log's labels), through Django's app registry.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from types import ModuleType

from django.apps import AppConfig, apps
from django.conf import settings
from django.utils.module_loading import module_has_submodule


def project_apps() -> list[AppConfig]:
    """The project's own apps: under BASE_DIR and not installed packages (a virtualenv
    inside the checkout holds Django's apps under BASE_DIR too)."""
    base = Path(settings.BASE_DIR).resolve()
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base)
        and not {"site-packages", "dist-packages"} & set(Path(config.path).parts)
    ]


def project_modules(name: str) -> list[ModuleType]:
    """`<app>.<name>` of every project app that has one, imported."""
    return [
        import_module(f"{config.name}.{name}")
        for config in project_apps()
        if module_has_submodule(config.module, name)
    ]
