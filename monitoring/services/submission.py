"""The public page's one write: store a link's response, replacing an earlier one.

It runs hundreds of times a second, so it is fixed SQL (names from the models' _meta),
not ORM query building. On PostgreSQL it is ONE statement in autocommit: data-modifying
CTEs mark and lock the invitation, find the earlier response, delete its answers and
touch it or insert the response, and insert all answers: one round trip and one commit
instead of six. SQLite (the embedded mode) has no data-modifying CTEs: there the same
steps run as a short transaction.

A double-tapped first submit: the second statement waits for the invitation's row lock;
its snapshot may predate the first response, so its insert hits the unique invitation_id
and raises IntegrityError; the save then runs once more and takes the edit path.
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from mentorship.signals import rows_changed_in_bulk
from monitoring.models import SATISFACTION_KINDS, Answer, Invitation, Response

if TYPE_CHECKING:
    from monitoring.services.answering import Parsed
    from monitoring.services.links import Link


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _c(model, *names: str) -> str:
    return ", ".join(connection.ops.quote_name(model._meta.get_field(n).column) for n in names)


RESPONSE_COLUMNS = (
    "organization", "invitation", "campaign", "questionnaire", "participant", "role",
    "submitted_at", "updated_at",
)  # fmt: skip
ANSWER_COLUMNS = ("organization", "response", "question", "campaign", "value", "choices", "text")


def response_save(link: Link, parsed: Parsed) -> int | None:
    """Store the response; returns its id (None if nothing was stored)."""
    save = _save_postgresql if connection.vendor == "postgresql" else _save_portable
    try:
        response_id = save(link, parsed)
    except IntegrityError:
        response_id = save(link, parsed)
    if link.questionnaire.kind in SATISFACTION_KINDS:
        # Raw SQL sends no model signal: the school's stored satisfaction counts of the
        # campaign's year are told (one UPDATE; other questionnaires feed no indicator).
        # Even with no answer returned: an edit may have deleted the earlier ones.
        rows_changed_in_bulk([link.organization_id], [link.campaign.starts_on.year])
    return response_id


def _answer_rows(parsed: Parsed) -> list[tuple[int, int | None, str | None, str]]:
    return [
        (question_id, value, None if choices is None else json.dumps(choices), text)
        for question_id, (value, choices, text) in parsed.answers.items()
    ]


@cache
def _postgresql_sql() -> str:
    """The statement, built once: a fixed text with 18 parameters (answers go in as four
    arrays), so psycopg keeps its parsed form cached (it caches up to 50 parameters)."""
    inv, resp, ans = _t(Invitation), _t(Response), _t(Answer)
    responded = _c(Invitation, "responded_at")
    return (
        f"WITH inv AS (UPDATE {inv} SET {responded} = COALESCE({responded}, %s) "  # noqa: S608
        f"  WHERE id = %s RETURNING id), "
        f"old AS (SELECT id FROM {resp} WHERE {_c(Response, 'invitation')} = %s), "
        f"del AS (DELETE FROM {ans} WHERE {_c(Answer, 'response')} IN (SELECT id FROM old)), "
        f"upd AS (UPDATE {resp} SET {_c(Response, 'updated_at')} = %s "
        f"  WHERE id IN (SELECT id FROM old) RETURNING id), "
        f"ins AS (INSERT INTO {resp} ({_c(Response, *RESPONSE_COLUMNS)}) "
        f"  SELECT %s, %s, %s, %s, %s, %s, %s, %s FROM inv "
        f"  WHERE NOT EXISTS (SELECT 1 FROM old) RETURNING id), "
        f"r AS (SELECT id FROM upd UNION ALL SELECT id FROM ins) "
        f"INSERT INTO {ans} ({_c(Answer, *ANSWER_COLUMNS)}) "
        f"SELECT %s, r.id, a.q, %s, a.v, a.c::jsonb, a.t FROM r CROSS JOIN "
        f"unnest(%s::bigint[], %s::smallint[], %s::text[], %s::text[]) AS a(q, v, c, t) "
        f"RETURNING {_c(Answer, 'response')}"
    )


def _save_postgresql(link: Link, parsed: Parsed) -> int | None:
    now = timezone.now()
    rows = _answer_rows(parsed)
    columns = [list(column) for column in zip(*rows, strict=True)] if rows else [[], [], [], []]
    params = [now, link.pk, link.pk, now]
    params += [link.organization_id, link.pk, link.campaign_id, link.questionnaire.pk]
    params += [link.participant_id, link.role, now, now, link.organization_id, link.campaign_id]
    params += columns
    with connection.cursor() as cursor:
        cursor.execute(_postgresql_sql(), params)
        row = cursor.fetchone()
    return row[0] if row else None


def _save_portable(link: Link, parsed: Parsed) -> int | None:
    now = timezone.now()
    inv, resp, ans = _t(Invitation), _t(Response), _t(Answer)
    responded = _c(Invitation, "responded_at")
    with transaction.atomic(), connection.cursor() as cursor:
        # First: the UPDATE locks the invitation's row for the rest of the transaction.
        cursor.execute(
            f"UPDATE {inv} SET {responded} = COALESCE({responded}, %s) WHERE id = %s",  # noqa: S608
            [now, link.pk],
        )
        cursor.execute(
            f"SELECT id FROM {resp} WHERE {_c(Response, 'invitation')} = %s",  # noqa: S608
            [link.pk],
        )
        row = cursor.fetchone()
        if row is None:
            cursor.execute(
                f"INSERT INTO {resp} ({_c(Response, *RESPONSE_COLUMNS)}) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
                [link.organization_id, link.pk, link.campaign_id, link.questionnaire.pk,
                 link.participant_id, link.role, now, now],
            )  # fmt: skip
            response_id = cursor.fetchone()[0]
        else:
            response_id = row[0]
            cursor.execute(
                f"DELETE FROM {ans} WHERE {_c(Answer, 'response')} = %s",  # noqa: S608
                [response_id],
            )
            cursor.execute(
                f"UPDATE {resp} SET {_c(Response, 'updated_at')} = %s WHERE id = %s",  # noqa: S608
                [now, response_id],
            )
        rows = _answer_rows(parsed)
        if rows:
            params: list = []
            for question_id, value, choices, text in rows:
                params += [link.organization_id, response_id, question_id, link.campaign_id]
                params += [value, choices, text]
            cursor.execute(
                f"INSERT INTO {ans} ({_c(Answer, *ANSWER_COLUMNS)}) VALUES "  # noqa: S608
                + ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(rows)),
                params,
            )
    return response_id
