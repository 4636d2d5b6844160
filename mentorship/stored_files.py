"""Stored files: those that belong to a row leave the storage with it; pending uploads.

Every uploaded and generated file goes through Django's storage API (never a path on
this machine's disk): the local folder by default, an S3-compatible bucket with
MEDIA_STORAGE_URL (mentorship/media_storage.py).

A replaced evidence scan, a deleted activity, a depersonalised consent: the row stops
pointing at the file, and the file is deleted once that change commits (never before:
a rollback must not leave the row pointing at nothing). Apps wire their file fields in
AppConfig.ready with `delete_files_with_rows`; services that replace a file call
`replace_file`.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete
from django.utils import timezone
from django.utils.module_loading import import_string

__all__ = ["PendingFiles", "delete_files_with_rows", "delete_on_commit", "replace_file"]


def delete_on_commit(storage: Storage, name: str) -> None:
    """Delete the stored file `name` once the current transaction commits."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def replace_file(instance: models.Model, field: str, new) -> None:
    """Put `new` (an upload) into `instance.<field>`; the previous file goes on commit."""
    old: FieldFile = getattr(instance, field)
    old_name, storage = old.name, old.storage
    setattr(instance, field, new)
    delete_on_commit(storage, old_name)


def delete_files_with_rows(model: type[models.Model], *fields: str) -> None:
    """When a row of `model` is deleted (directly or by a cascade), its files go too."""

    def remove(sender, instance, **kwargs) -> None:
        for name in fields:
            stored: FieldFile = getattr(instance, name)
            delete_on_commit(stored.storage, stored.name)

    post_delete.connect(
        remove, sender=model, weak=False, dispatch_uid=f"files-of-{model._meta.label}"
    )


# --- Files waiting between a preview and its confirmation ------------------------------


_object_stores: dict[str, Storage] = {}


class PendingFiles:
    """Uploads and previews that wait (for `ttl` seconds) until the user confirms them.

    They live where the media live, so the node that shows a preview need not be the one
    that saves it: in a private folder (files 0600, the folder 0700; `local_dir`, a
    setting tests point elsewhere) when the media are local, under `pending/<area>/` of
    the bucket when they are in object storage. Nothing here is ever served.

    A confirmation takes the upload with `claim` first, so a double click (two requests,
    maybe on two nodes) saves it once: in Redis when the portal has one (shared by every
    node), else in Django's cache (one process: the embedded mode).
    """

    def __init__(self, area: str, *, local_dir: Path, ttl: int):
        self.area = area
        self.local_dir = Path(local_dir)
        self.ttl = ttl

    @cached_property
    def storage(self) -> Storage:
        from django.core.files.storage import FileSystemStorage, default_storage

        if isinstance(default_storage, FileSystemStorage):
            return FileSystemStorage(
                location=self.local_dir,
                file_permissions_mode=0o600,
                directory_permissions_mode=0o700,
            )
        # The media storage's own backend and options, under a prefix of its own; one
        # instance per configuration (a boto3 client is slow to build, ~0.1 s).
        config = settings.STORAGES["default"]
        options = dict(config.get("OPTIONS", {}))
        location = "/".join(p for p in (options.get("location", ""), "pending", self.area) if p)
        options["location"] = location
        key = repr((config["BACKEND"], sorted(options.items())))
        if key not in _object_stores:
            _object_stores[key] = import_string(config["BACKEND"])(**options)
        return _object_stores[key]

    def write(self, name: str, data: bytes) -> None:
        """Store `name` (a fresh random token's file); an existing name is an error."""
        saved = self.storage.save(name, ContentFile(data))
        if saved != name:  # the storage picked another name: the token collided
            self.storage.delete(saved)
            raise FileExistsError(name)

    def replace(self, name: str, data: bytes) -> None:
        self.storage.delete(name)
        self.write(name, data)

    def read(self, name: str) -> bytes | None:
        """The file's content, or None if it is not there (expired, saved, foreign)."""
        try:
            with self.storage.open(name, "rb") as handle:
                return handle.read()
        except (FileNotFoundError, OSError):
            return None
        except Exception as exc:  # botocore's ClientError (404) and the like
            if _is_missing(exc):
                return None
            raise

    def delete(self, *names: str) -> None:
        for name in names:
            self.storage.delete(name)

    def sweep(self) -> None:
        """Drop what nobody confirmed within the ttl (and leftovers of crashed saves)."""
        cutoff = timezone.now() - timedelta(seconds=self.ttl)
        try:
            _dirs, files = self.storage.listdir("")
        except FileNotFoundError:
            return
        for name in files:
            try:
                if self.storage.get_modified_time(name) < cutoff:
                    self.storage.delete(name)
            except FileNotFoundError:
                pass
            except Exception as exc:
                if not _is_missing(exc):
                    raise

    def names(self) -> list[str]:
        try:
            return sorted(self.storage.listdir("")[1])
        except FileNotFoundError:
            return []

    # Claims: at most one confirmation of a token at a time.

    def _claim_key(self, token: str) -> str:
        namespace = getattr(settings, "RATELIMIT_NAMESPACE", "")
        return f"pending-claim:{namespace}:{self.area}:{token}"

    def claim(self, token: str) -> bool:
        """Take `token` for saving; False if another request holds it."""
        key = self._claim_key(token)
        if getattr(settings, "REDIS_URL", ""):
            from mentorship.ratelimit import redis_client

            return bool(redis_client().set(key, "1", nx=True, ex=self.ttl))
        return cache.add(key, 1, self.ttl)

    def release(self, token: str) -> None:
        key = self._claim_key(token)
        if getattr(settings, "REDIS_URL", ""):
            from mentorship.ratelimit import redis_client

            redis_client().delete(key)
        else:
            cache.delete(key)


def _is_missing(exc: Exception) -> bool:
    """A storage's "no such object" that is not a FileNotFoundError (boto3's 404)."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = str(response.get("Error", {}).get("Code", ""))
        return code in ("404", "NoSuchKey", "NotFound")
    return False
