"""Tests never write into the developer's var/: files go under a temporary directory."""

from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

VAR = Path(settings.BASE_DIR) / "var"


def test_files_of_a_test_go_to_a_temporary_directory():
    for path in (
        settings.VAR_DIR,
        settings.MEDIA_ROOT,
        settings.ROADMAP_IMPORT_DIR,
        settings.REGISTRY_IMPORT_DIR,
    ):
        assert not Path(path).resolve().is_relative_to(VAR.resolve()), path
    name = default_storage.save("documents/probe.txt", ContentFile(b"probe"))
    assert Path(default_storage.path(name)).is_relative_to(Path(settings.MEDIA_ROOT))
