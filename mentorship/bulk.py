"""Fast bulk insert for seeded data (`manage.py seed_bench --region`): PostgreSQL's COPY
through psycopg, with the ids taken from the table's sequence in one statement, so the
caller can link rows without reading them back; elsewhere (the embedded SQLite) plain
`bulk_create` in big batches.

Only for generated data: it bypasses the models' save(), signals and the tenant scope.
Columns the caller does not give get the field's default, computed once per call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.utils import timezone

BATCH = 20_000


def _defaults(model: type[models.Model], given: Sequence[str]) -> tuple[list[str], list]:
    """The other columns and their (constant) values: the field's default, the time now
    for auto_now fields, NULL for nullable ones without a default."""
    now = timezone.now()
    names, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in given:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        elif field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        else:
            value = field.get_default()  # "" for text fields
        names.append(field.column)
        values.append(field.get_db_prep_save(value, connection))
    return names, values


def _reserve_ids(model: type[models.Model], n: int) -> range:
    """n consecutive ids from the table's sequence (one statement, no gaps inside)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        (sequence,) = cursor.fetchone()
        # Lock out other writers of the sequence for the moment of the jump.
        cursor.execute("SELECT nextval(%s)", [sequence])
        (first,) = cursor.fetchone()
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + n - 1])
    return range(first, first + n)


def fast_insert(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple]
) -> list[int]:
    """Insert `rows` (tuples of the attnames in `fields`) and return their ids in order."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
        model.objects.bulk_create(objs, batch_size=5000)
        return [o.pk for o in objs]
    columns = [model._meta.get_field(f).column for f in fields]
    prepped = [model._meta.get_field(f) for f in fields]
    # JSON and such need the field's own adaptation; plain values go as they are.
    adapt = [i for i, f in enumerate(prepped) if isinstance(f, models.JSONField)]
    other_names, other_values = _defaults(model, fields)
    ids = _reserve_ids(model, len(rows))
    sql = (
        f'COPY "{model._meta.db_table}" '  # noqa: S608 - names from the model's _meta
        f"({', '.join(['id', *columns, *other_names])}) FROM STDIN"
    )
    tail = tuple(other_values)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with raw.copy(sql) as copy:
            for pk, row in zip(ids, rows, strict=True):
                if adapt:
                    row = list(row)
                    for i in adapt:
                        row[i] = prepped[i].get_db_prep_save(row[i], connection)
                copy.write_row((pk, *row, *tail))
    return list(ids)


def chunks(rows: Iterable, size: int = BATCH) -> Iterable[list]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
