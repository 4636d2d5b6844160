"""The uploaded registry file waiting between the preview and «Импортировать».

The file waits under var/registry-imports/<token> (mode 0600), bound to the user and the
organisation, for an hour; it never enters the database. The preview's report waits
beside it, and the import re-reads the file and checks everything again: the registry
may have changed meanwhile. Unknown, expired or foreign tokens are all "not found".
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.http import Http404

from mentorship.models import Organization, User
from registry.services.importing import ImportReport, Table, read_table

TTL_SECONDS = 3600
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class PendingImport:
    """An uploaded file and its preview report, waiting for «Импортировать»."""

    def __init__(self, token: str):
        default = settings.VAR_DIR / "registry-imports"
        directory = Path(getattr(settings, "REGISTRY_IMPORT_DIR", default))
        self.token = token
        self.data_path = directory / token
        self.meta_path = directory / f"{token}.json"

    @classmethod
    def create(
        cls, *, user: User, organization: Organization, data: bytes, report: ImportReport
    ) -> PendingImport:
        pending = cls(secrets.token_urlsafe(24))
        directory = pending.data_path.parent
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        _sweep(directory)
        meta = {
            "user": user.pk,
            "organization": organization.pk,
            "created": time.time(),
            "report": report.as_dict(),
        }
        # Only the portal's own user may read them: pupils' personal data are inside.
        _write_private(pending.data_path, data)
        _write_private(pending.meta_path, json.dumps(meta, ensure_ascii=False).encode())
        return pending

    @classmethod
    def load(cls, *, user: User, organization: Organization, token: str) -> PendingImport:
        """The user's own upload in this organisation; 404 if unknown, expired or foreign."""
        if not TOKEN_RE.match(token):
            raise Http404
        pending = cls(token)
        try:
            meta = json.loads(pending.meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise Http404 from None
        if meta.get("created", 0) < time.time() - TTL_SECONDS:
            pending.delete()
            raise Http404
        if (meta.get("user"), meta.get("organization")) != (user.pk, organization.pk):
            raise Http404
        pending.meta = meta
        return pending

    @property
    def report(self) -> ImportReport:
        return ImportReport.from_dict(self.meta["report"])

    def save_report(self, report: ImportReport) -> None:
        self.meta["report"] = report.as_dict()
        self.meta_path.write_text(json.dumps(self.meta, ensure_ascii=False), encoding="utf-8")

    def table(self) -> Table:
        return read_table(self.data_path.read_bytes(), self.report.filename)

    def claim(self) -> bool:
        """Take the upload for importing; False if another request already did (double click)."""
        try:
            os.rename(self.meta_path, self.meta_path.with_suffix(".importing"))
        except FileNotFoundError:
            return False
        self.meta_path = self.meta_path.with_suffix(".importing")
        return True

    def release(self) -> None:
        os.rename(self.meta_path, self.meta_path.with_suffix(".json"))
        self.meta_path = self.meta_path.with_suffix(".json")

    def delete(self) -> None:
        self.data_path.unlink(missing_ok=True)
        self.meta_path.unlink(missing_ok=True)


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _sweep(directory: Path) -> None:
    """Drop uploads nobody imported within the hour (and leftovers of crashed imports)."""
    cutoff = time.time() - TTL_SECONDS
    for path in directory.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass
