"""The uploaded registry file waiting between the preview and «Импортировать».

The file waits with the other pending uploads (mentorship.stored_files.PendingFiles: a
private folder, 0600, or the media bucket), bound to the user and the organisation, for
an hour; it never enters the database. The preview's report waits beside it, and the
import re-reads the file and checks everything again: the registry may have changed
meanwhile. Unknown, expired or foreign tokens are all "not found".
"""

from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.http import Http404

from mentorship.models import Organization, User
from mentorship.stored_files import PendingFiles
from registry.services.importing import ImportReport, Table, read_table

TTL_SECONDS = 3600
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _files() -> PendingFiles:
    default = settings.VAR_DIR / "registry-imports"
    directory = Path(getattr(settings, "REGISTRY_IMPORT_DIR", default))
    return PendingFiles("registry-imports", local_dir=directory, ttl=TTL_SECONDS)


class PendingImport:
    """An uploaded file and its preview report, waiting for «Импортировать»."""

    def __init__(self, token: str):
        self.files = _files()
        self.token = token
        self.data_name = token
        self.meta_name = f"{token}.json"

    @classmethod
    def create(
        cls, *, user: User, organization: Organization, data: bytes, report: ImportReport
    ) -> PendingImport:
        pending = cls(secrets.token_urlsafe(24))
        pending.files.sweep()
        meta = {
            "user": user.pk,
            "organization": organization.pk,
            "created": time.time(),
            "report": report.as_dict(),
        }
        # Only the portal may read them: pupils' personal data are inside.
        pending.files.write(pending.data_name, data)
        pending.files.write(pending.meta_name, json.dumps(meta, ensure_ascii=False).encode())
        return pending

    @classmethod
    def load(cls, *, user: User, organization: Organization, token: str) -> PendingImport:
        """The user's own upload in this organisation; 404 if unknown, expired or foreign."""
        if not TOKEN_RE.match(token):
            raise Http404
        pending = cls(token)
        raw = pending.files.read(pending.meta_name)
        try:
            meta = json.loads(raw) if raw is not None else None
        except ValueError:
            meta = None
        if not isinstance(meta, dict):
            raise Http404
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
        self.files.replace(self.meta_name, json.dumps(self.meta, ensure_ascii=False).encode())

    def table(self) -> Table:
        data = self.files.read(self.data_name)
        if data is None:
            raise Http404
        return read_table(data, self.report.filename)

    def claim(self) -> bool:
        """Take the upload for importing; False if another request already did (double
        click) or it is gone meanwhile."""
        if not self.files.claim(self.token):
            return False
        if self.files.read(self.meta_name) is None:  # imported by the request before
            self.files.release(self.token)
            return False
        return True

    def release(self) -> None:
        self.files.release(self.token)

    def delete(self) -> None:
        self.files.delete(self.data_name, self.meta_name)
        self.files.release(self.token)
