"""Where uploaded and generated files live: the local folder, or S3-compatible storage.

Read by settings.py before Django is set up, so it imports nothing of Django's.

The embedded default (and any deployment without MEDIA_STORAGE_URL) keeps files under
MEDIA_ROOT. With

    MEDIA_STORAGE_URL=s3://BUCKET[/PREFIX]?endpoint_url=http://minio:9000&region_name=us-east-1

files go to the bucket through django-storages (boto3), so any web node and any worker
reads what another stored. Credentials come from AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY (boto3's own variables, never put in the URL where they would be
logged). Query parameters: `endpoint_url` (MinIO, Yandex Object Storage, Selectel …;
omit for AWS), `region_name`, `addressing_style` (`path` for MinIO; the default here when
an endpoint is given), `verify` (`false` only for a test endpoint with a self-signed
certificate).

Objects are private (`default_acl` "private"): users never reach the bucket; every file
goes out through the portal's permission-checked views, which open it through the
storage API and stream it (mentorship/documents/views.py, the evidence and consent scan
views). Nothing of ours asks the storage for a URL.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["media_storage", "S3_QUERY_OPTIONS"]

S3_BACKEND = "storages.backends.s3.S3Storage"
LOCAL_BACKEND = "django.core.files.storage.FileSystemStorage"
S3_QUERY_OPTIONS = ("endpoint_url", "region_name", "addressing_style", "verify")
# A download larger than this spools to a temporary file instead of memory.
S3_MAX_MEMORY_SIZE = 2 * 1024 * 1024


class MediaStorageURLError(ValueError):
    """MEDIA_STORAGE_URL cannot be read; settings refuse to start rather than guess."""


def media_storage(url: str) -> dict[str, Any]:
    """The STORAGES["default"] entry for MEDIA_STORAGE_URL (empty: the local folder)."""
    if not url:
        return {"BACKEND": LOCAL_BACKEND}
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise MediaStorageURLError(f"MEDIA_STORAGE_URL: unknown scheme {parts.scheme!r}")
    if parts.username or parts.password:
        raise MediaStorageURLError(
            "MEDIA_STORAGE_URL: put credentials in AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, not in the URL"
        )
    bucket = parts.hostname or ""
    if not bucket:
        raise MediaStorageURLError("MEDIA_STORAGE_URL: no bucket (s3://BUCKET/...)")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = set(query) - set(S3_QUERY_OPTIONS)
    if unknown:
        raise MediaStorageURLError(f"MEDIA_STORAGE_URL: unknown options {sorted(unknown)}")
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "location": parts.path.strip("/"),
        # Private objects, never overwritten by a second upload of the same name.
        "default_acl": "private",
        "file_overwrite": False,
        "querystring_auth": True,
        "signature_version": "s3v4",
        "max_memory_size": S3_MAX_MEMORY_SIZE,
    }
    if "endpoint_url" in query:
        options["endpoint_url"] = query["endpoint_url"]
        # MinIO and most self-hosted stores serve buckets by path, not by host name.
        options["addressing_style"] = query.get("addressing_style", "path")
    elif "addressing_style" in query:
        options["addressing_style"] = query["addressing_style"]
    if "region_name" in query:
        options["region_name"] = query["region_name"]
    if "verify" in query:
        options["verify"] = query["verify"].lower() not in ("0", "false", "no")
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
