"""Writes of the document pipeline: request, render, download. One implementation each,
shared by the web views, the Celery task and the `render_document` command."""

from __future__ import annotations

import datetime
import json
import logging
import secrets
from collections.abc import Callable
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.celery import app as celery_app
from mentorship.conflicts import Conflict, conflict_from, unique_violation
from mentorship.documents import kinds
from mentorship.documents.rendering import render_pdf
from mentorship.documents.word import content_to_docx
from mentorship.models import (
    Document,
    DocumentCounter,
    DocumentStatus,
    Membership,
    Organization,
    User,
)
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads

logger = logging.getLogger(__name__)

# Failures that retrying cannot fix: the document is marked failed with a message and the
# task ends. Anything else is unexpected and the task retries it with backoff.
DATA_ERRORS: tuple[type[Exception], ...] = (
    kinds.DocumentDataError,
    kinds.UnknownDocumentKind,
    ObjectDoesNotExist,
    TemplateDoesNotExist,
    TemplateSyntaxError,
)
MAX_NUMBER_LENGTH = 30
# A render holds its document «rendering» for at most its task's hard time limit; past
# that and this margin, its worker is gone and the sweep queues the render again.
RENDER_LEASE_MARGIN = datetime.timedelta(seconds=30)
# A «pending» document waits for a free worker or a retry's countdown (at most 12.5
# minutes, mentorship/documents/tasks.py); longer than this, its message was lost.
PENDING_GRACE = datetime.timedelta(minutes=20)
# Renders of one revision the sweep allows before it gives up: a document that kills
# its worker every time ends «failed» instead of looping.
MAX_RENDER_ATTEMPTS = 5


class DocumentNotReady(Exception):
    """A download was asked of a document that has no finished file."""


def _guard_personal_data(actor: User | None, organization: Organization, roles) -> None:
    """A document naming a school's people is made and opened by the school's own staff.

    The web and API check roles already; this is the last line, whoever calls: a role
    held above the school (a department's membership covers the school) does not count,
    only a membership of the school itself. `actor=None` is the system (beat, commands).
    """
    if actor is None:
        return
    member = Membership.objects.filter(
        user_id=actor.pk, organization=organization, role__in=roles
    ).exists()
    if not member:
        raise PermissionDenied(
            _("Документ содержит персональные данные участников: он доступен только школе.")
        )


def next_number(organization: Organization, kind: str, year: int) -> str:
    """The next free number of `kind` in the organisation's register for `year`.

    The counter row is locked (SELECT … FOR UPDATE) until the caller's transaction ends,
    so two concurrent callers get different numbers; numbers typed by hand are skipped.
    """
    with transaction.atomic(), tenant_scope(organization):
        try:
            # A savepoint: the loser of a race to create the row re-reads it below.
            with transaction.atomic():
                counter, _created = DocumentCounter.objects.select_for_update().get_or_create(
                    organization=organization, kind=kind, year=year
                )
        except IntegrityError:
            counter = DocumentCounter.objects.select_for_update().get(
                organization=organization, kind=kind, year=year
            )
        taken = set(
            Document.objects.filter(organization=organization, kind=kind, year=year)
            .exclude(number="")
            .values_list("number", flat=True)
        )
        candidate = counter.last_number + 1
        while str(candidate) in taken:
            candidate += 1
        counter.last_number = candidate
        counter.save(update_fields=["last_number"])
        return str(candidate)


def _check_params(params: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(params, dict):
        raise ValidationError(_("Параметры документа должны быть словарём."))
    try:
        json.dumps(params)
    except (TypeError, ValueError):
        raise ValidationError(_("Параметры документа должны быть простыми значениями.")) from None
    return params


@transaction.atomic
def document_request(
    *,
    actor: User | None,
    organization: Organization,
    kind: str,
    params: dict[str, Any] | None = None,
    number: str | None = None,
    date: datetime.date | None = None,
    title: str | None = None,
    schedule: bool = True,
) -> Document:
    """Ask for a document; the same organisation, kind, year and number regenerate it.

    Without a number, a numbered kind takes the next one from the register. The render
    runs in a Celery task after commit (`schedule=False` leaves it to the caller, as the
    command does, which renders synchronously).
    """
    definition = kinds.get(kind)
    if definition.personal_data:
        _guard_personal_data(actor, organization, definition.roles)
    params = _check_params(params or {})
    date = date or timezone.localdate()
    number = (number or "").strip()
    if len(number) > MAX_NUMBER_LENGTH:
        raise ValidationError(_("Номер документа слишком длинный."))
    with tenant_scope(organization):
        _refuse_twin(organization, kind, params, date.year, number)
        if not number and definition.numbered:
            number = next_number(organization, kind, date.year)
        for attempt in range(2):
            document = _reusable(organization, kind, date.year, number)
            regenerated = document is not None
            if document is None:
                document = Document(organization=organization, kind=kind, number=number)
                document.created_by = actor if actor and actor.is_authenticated else None
            document.title = title or str(definition.label)
            document.date = date
            document.params = params
            document.status = DocumentStatus.PENDING
            document.error = ""
            document.revision += 1
            document.attempts = 0
            document.lease_until = None
            try:
                with transaction.atomic():
                    document.save()
                break
            except IntegrityError as exc:
                # Someone created the same number a moment ago: regenerate theirs instead.
                # The same request still unfinished under another number is a conflict.
                if attempt or not number or not _is_number_clash(exc):
                    conflict = conflict_from(exc, _twin_message())
                    if conflict is None:
                        raise
                    raise conflict from exc
        audit.record(
            actor=actor,
            organization=organization,
            action="document.regenerate" if regenerated else "document.request",
            obj=document,
            kind=kind,
            number=number,
        )
    if schedule:
        _schedule_render(document.pk)
    return document


# The constraint on Document that a second row of the same organisation, kind, year and
# number breaks (the other unique one is a twin request, `one_unfinished_document`).
NUMBER_CONSTRAINT = "unique_document_number_per_year"


def _is_number_clash(exc: IntegrityError) -> bool:
    name = unique_violation(exc)
    # SQLite names the columns instead of the constraint.
    return name == NUMBER_CONSTRAINT or (name == "" and ".number" in str(exc))


def _twin_message() -> str:
    return _("Такой документ уже формируется: дождитесь его — он появится в списке документов.")


def _refuse_twin(
    organization: Organization, kind: str, params: dict[str, Any], year: int, number: str
) -> None:
    """A second request of the same document while the first is still being made (a
    double click, two people at once) is refused with 409, not numbered twice. The
    database holds the rule too (`one_unfinished_document`)."""
    twins = Document.objects.filter(
        organization=organization,
        kind=kind,
        params=params,
        status__in=(DocumentStatus.PENDING, DocumentStatus.RENDERING),
    )
    if number:
        twins = twins.exclude(year=year, number=number)  # that one is regenerated
    twin = twins.first()
    if twin is not None:
        raise Conflict(
            _("Такой документ уже формируется: %(document)s. Дождитесь его.") % {"document": twin}
        )


def document_regenerate(*, actor: User | None, document: Document) -> Document:
    """Render an existing document again with its own number, date and parameters."""
    if not document.number:
        # Unnumbered documents have no natural key: bump the row itself.
        with transaction.atomic(), tenant_scope(document.organization):
            Document.objects.filter(pk=document.pk).update(
                status=DocumentStatus.PENDING,
                error="",
                revision=F("revision") + 1,
                attempts=0,
                lease_until=None,
            )
            audit.record(
                actor=actor,
                organization=document.organization,
                action="document.regenerate",
                obj=document,
                kind=document.kind,
            )
            _schedule_render(document.pk)
            document.refresh_from_db()
        return document
    return document_request(
        actor=actor,
        organization=document.organization,
        kind=document.kind,
        params=document.params,
        number=document.number,
        date=document.date,
        title=document.title,
    )


def _reusable(organization: Organization, kind: str, year: int, number: str) -> Document | None:
    if not number:
        return None
    return (
        Document.objects.select_for_update()
        .filter(organization=organization, kind=kind, year=year, number=number)
        .first()
    )


# The render task by its registered name (mentorship/documents/tasks.py, registered by
# MentorshipConfig.ready()): the task calls these services, so they must not import it back.
RENDER_TASK = "mentorship.documents.render"


def _schedule_render(document_id: int) -> None:
    task = celery_app.tasks[RENDER_TASK]
    # robust: in the embedded (eager) mode a failing render must not turn the user's
    # request into a 500; the row already says "failed" with the reason.
    transaction.on_commit(lambda: task.delay(document_id), robust=True)


def document_render(document_id: int) -> Document | None:
    """Render the document's PDF and store it, replacing the previous file.

    Safe to run twice. Returns None when the row is gone. Data and template errors mark
    the document failed with a Russian message; other errors mark it failed and re-raise
    so that the task can retry.
    """
    with unscoped_reads():
        # The only unscoped read: by primary key, to learn which tenant to enter.
        document = Document.objects.select_related("organization").filter(pk=document_id).first()
    if document is None:
        logger.info("Document %s vanished before rendering", document_id)
        return None
    with tenant_scope(document.organization):
        revision = document.revision
        _set_status(document, revision, DocumentStatus.RENDERING)
        try:
            definition = kinds.get(document.kind)
            context = definition.build_context(document)
            pdf = render_pdf(
                definition.template,
                {
                    **context,
                    "document": document,
                    "organization": document.organization,
                    "kind": definition,
                },
                landscape=definition.landscape,
            )
            # The same blocks as the PDF, written as .docx: one text, two files.
            word = (
                content_to_docx(
                    context["content"], title=str(document), landscape=definition.landscape
                )
                if definition.has_word
                else None
            )
        except DATA_ERRORS as exc:
            logger.warning("Document %s failed: %r", document_id, exc)
            _set_status(document, revision, DocumentStatus.FAILED, _data_error_message(exc))
            return document
        except Exception:
            _set_status(document, revision, DocumentStatus.FAILED, unexpected_error_message())
            raise
        return _store(document, revision, pdf, word=word, on_ready=definition.on_ready)


def _store(
    document: Document,
    revision: int,
    pdf: bytes,
    *,
    word: bytes | None = None,
    on_ready: Callable[[Document], None] | None = None,
) -> Document:
    with transaction.atomic():
        current = Document.objects.select_for_update().get(pk=document.pk)
        if current.revision != revision:
            # A newer request came in while we rendered: its own task writes the file.
            return current
        old_names = [current.file.name, current.word_file.name]
        stem = f"{current.kind}-{current.pk}-{secrets.token_hex(8)}"
        current.file.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        if word is not None:
            current.word_file.save(f"{stem}.docx", ContentFile(word), save=False)
        else:
            current.word_file = ""
        current.status = DocumentStatus.READY
        current.error = ""
        current.rendered_at = timezone.now()
        current.lease_until = None
        current.save(
            update_fields=[
                "file",
                "word_file",
                "status",
                "error",
                "rendered_at",
                "lease_until",
                "updated_at",
            ]
        )
        if on_ready is not None:
            # The kind's reaction to a finished file (e.g. the order on pairs approves its
            # pairs) commits in this transaction, with the row still locked: both or none.
            on_ready(current)
        storage = current.file.storage
        for old_name in old_names:
            if old_name and old_name not in (current.file.name, current.word_file.name):
                # Only after commit: a rollback must not leave the row pointing at nothing.
                transaction.on_commit(lambda name=old_name: storage.delete(name))
    return current


def _set_status(document: Document, revision: int, status: str, error: str = "") -> None:
    # Committed at once (the task runs outside any transaction) so the polling page sees
    # it; a render of an outdated revision must not touch the state of the newer one.
    now = timezone.now()
    changes: dict[str, Any] = {"status": status, "error": error, "updated_at": now}
    if status == DocumentStatus.RENDERING:
        # The lease this render holds the document under, and one more attempt counted.
        hard_limit = datetime.timedelta(seconds=settings.DOCUMENT_RENDER_TIME_LIMIT)
        changes.update(lease_until=now + hard_limit + RENDER_LEASE_MARGIN)
        changes.update(attempts=F("attempts") + 1)
    else:
        changes.update(lease_until=None)
    Document.objects.filter(pk=document.pk, revision=revision).update(**changes)
    document.status = status
    document.error = error


def _data_error_message(exc: Exception) -> str:
    if isinstance(exc, kinds.DocumentDataError):
        return str(exc)
    if isinstance(exc, kinds.UnknownDocumentKind):
        return _("Такой вид документа больше не поддерживается.")
    if isinstance(exc, ObjectDoesNotExist):
        return _("Данные для документа не найдены: возможно, они были удалены.")
    return _("Шаблон документа содержит ошибку. Сообщите администратору портала.")


def unexpected_error_message() -> str:
    return _(
        "Не удалось сформировать документ из-за внутренней ошибки. "
        "Попробуйте сформировать его заново позже."
    )


def document_mark(document_id: int, status: str, error: str = "") -> None:
    """Set the state from the task: failed when it gives up (time limit, retries exhausted),
    pending again while a retry waits, so the page keeps polling instead of showing a
    failure that may yet heal."""
    with unscoped_reads():
        # An update by primary key of the row the task was given: no tenant to leak into.
        Document.objects.filter(pk=document_id).update(
            status=status, error=error, lease_until=None, updated_at=timezone.now()
        )


def unscoped_requeue_stuck(*, document_id: int | None = None) -> tuple[int, int]:
    """Queue again the renders whose worker died; returns (queued again, given up).

    «Rendering» past its lease, or «pending» past PENDING_GRACE: the worker was killed
    (SIGKILL, out of memory, a lost machine) or its message was lost. Run by beat every
    two minutes across every tenant (by primary key only: no tenant's data is read) and
    by the status page for its one document. Rows are locked, skipping locked ones, and
    touched, so two sweeps at once queue each document once.
    """
    now = timezone.now()
    stuck = Q(status=DocumentStatus.RENDERING, lease_until__lt=now) | Q(
        status=DocumentStatus.PENDING, updated_at__lt=now - PENDING_GRACE
    )
    with unscoped_reads(), transaction.atomic():
        rows = Document.objects.select_for_update(skip_locked=True).filter(stuck)
        if document_id is not None:
            rows = rows.filter(pk=document_id)
        found = list(rows.values_list("pk", "attempts"))
        given_up = [pk for pk, attempts in found if attempts >= MAX_RENDER_ATTEMPTS]
        again = [pk for pk, attempts in found if attempts < MAX_RENDER_ATTEMPTS]
        if given_up:
            logger.error("Documents %s killed their worker %s times", given_up, MAX_RENDER_ATTEMPTS)
            Document.objects.filter(pk__in=given_up).update(
                status=DocumentStatus.FAILED,
                error=unexpected_error_message(),
                lease_until=None,
                updated_at=now,
            )
        if again:
            logger.warning("Documents %s were stuck unfinished: queued again", again)
            Document.objects.filter(pk__in=again).update(
                status=DocumentStatus.PENDING, lease_until=None, updated_at=now
            )
            for pk in again:
                _schedule_render(pk)
    return len(again), len(given_up)


PDF, WORD = "pdf", "docx"
FORMATS = (PDF, WORD)


def document_download(
    *, actor: User | None, document: Document, file_format: str = PDF
) -> IO[bytes]:
    """Open the document's file (PDF, or its .docx) for reading; every download is audited."""
    definition = kinds.get(document.kind)
    if definition.personal_data:
        _guard_personal_data(actor, document.organization, definition.reader_roles)
    if not document.is_ready or (file_format == WORD and not document.has_word):
        raise DocumentNotReady(document.pk)
    stored = document.word_file if file_format == WORD else document.file
    handle = stored.open("rb")
    audit.record(
        actor=actor,
        organization=document.organization,
        action="document.download",
        obj=document,
        kind=document.kind,
        number=document.number,
        format=file_format,
    )
    return handle
