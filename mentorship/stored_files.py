"""Uploaded files that belong to a row leave the storage with it.

A replaced evidence scan, a deleted activity, a depersonalised consent: the row stops
pointing at the file, and the file is deleted once that change commits (never before:
a rollback must not leave the row pointing at nothing). Apps wire their file fields in
AppConfig.ready with `delete_files_with_rows`; services that replace a file call
`replace_file`.
"""

from __future__ import annotations

from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete

__all__ = ["delete_files_with_rows", "delete_on_commit", "replace_file"]


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
