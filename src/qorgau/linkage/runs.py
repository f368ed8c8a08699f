"""Running the batch model over the registry and deciding the pairs it proposes."""

import io
import json
from collections.abc import Iterator
from typing import Any

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.accounts.models import User
from qorgau.accounts.roles import Perm
from qorgau.children.models import Child, FamilyMember
from qorgau.linkage import batch
from qorgau.linkage.models import CandidatePair, LinkRun
from qorgau.linkage.selectors import unmerged

_CHUNK = 20_000
_WRITE = 5_000


_FIELDS = ("pk", "last_name", "first_name", "middle_name", "birth_date", "sex", "iin_hash")
_COLUMNS = ("record_id", "last_name", "first_name", "middle_name", "birth_date", "sex", "iin")


def _children() -> QuerySet[Child]:
    return unmerged(Child.objects.all()).order_by("pk")


def _carers() -> QuerySet[FamilyMember]:
    # A mother or a caregiver: the model compares the first of a child's in this order.
    return FamilyMember.objects.filter(
        Q(relationship=FamilyMember.Relationship.MOTHER) | Q(is_caregiver=True)
    ).order_by("child_id", "relationship", "pk")


def registry_rows() -> Iterator[dict[str, Any]]:
    """Every child not merged into another, as the model's input rows, chunk by chunk."""
    mothers: dict[int, str] = {}
    for child_id, name in _carers().values_list("child_id", "full_name").iterator(_CHUNK):
        mothers.setdefault(child_id, name)
    # The IIN's keyed hash, not the IIN: equal exactly when the IINs are, and nothing
    # to decrypt (a million decryptions were a fifth of the run).
    rows = _children().values_list(*_FIELDS, "place__kato").iterator(_CHUNK)
    for row in rows:
        record = dict(zip(_COLUMNS, row[:-1], strict=True))
        yield {**record, "kato": row[-1], "mother_name": mothers.get(row[0], "")}


def registry_frame() -> pd.DataFrame:
    """The registry as the model's input (`batch.prepared_frame`).

    On PostgreSQL the two queries of `registry_rows` come by COPY, as CSV, straight into
    pandas: no Python object per child (a million children's rows and their mothers'
    names, held as Python objects while the model ran, were a third of the run's peak
    memory and its first minute)."""
    if connection.vendor != "postgresql":
        return batch.prepared(registry_rows())
    children = _copied(_children().values_list(*_FIELDS, "place__kato"), (*_COLUMNS, "kato"))
    carers = _copied(_carers().values_list("child_id", "full_name"), ("record_id", "mother_name"))
    mothers = carers.drop_duplicates("record_id")  # COPY keeps the query's order
    return batch.prepared_frame(children.merge(mothers, on="record_id", how="left"))


def _copied(rows: QuerySet[Any], columns: tuple[str, ...]) -> pd.DataFrame:
    sql, params = rows.query.sql_with_params()
    data = io.BytesIO()
    statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
        for block in copy:
            data.write(block)
    data.seek(0)
    # Every column as text, empty as missing; the ids join as text too.
    return pd.read_csv(
        data, names=list(columns), dtype="str", keep_default_na=False, na_values=[""]
    )


def link_run(*, thresholds: batch.Thresholds = batch.DEFAULT) -> LinkRun:
    """Score the registry; pairs from the review threshold up go to the review queue.

    Pending pairs of earlier runs are superseded (kept, marked), decided ones stay.
    """
    run = LinkRun.objects.create(
        started_at=timezone.now(),
        review_threshold=thresholds.review,
        high_threshold=thresholds.high,
    )
    frame = registry_frame()
    scored = batch.score(frame, thresholds=thresholds)
    children = len(frame)
    del frame  # the registry's million rows are not needed for the pairs: memory at 1M
    decided = set(
        CandidatePair.objects.exclude(
            status__in=[CandidatePair.Status.PENDING, CandidatePair.Status.SUPERSEDED]
        ).values_list("left_id", "right_id")
    )
    table = scored.pairs
    evidence = batch.evidences(table, scored.model)
    rows = zip(
        table["unique_id_l"].astype(int).tolist(),
        table["unique_id_r"].astype(int).tolist(),
        table["match_probability"].astype(float).tolist(),
        table["match_weight"].astype(float).tolist(),
        table["maybe_twins"].astype(bool).tolist(),
        evidence,
        strict=True,
    )

    def undecided() -> Iterator[tuple[Any, ...]]:
        for one, other, *rest in rows:
            left, right = sorted((one, other))
            if (left, right) not in decided:  # a person already said what this pair is
                yield (left, right, *rest)

    with transaction.atomic():
        CandidatePair.objects.filter(status=CandidatePair.Status.PENDING).update(
            status=CandidatePair.Status.SUPERSEDED
        )
        run.children, run.pairs = children, _write_pairs(run, undecided())
        run.model, run.finished_at = scored.model, timezone.now()
        run.save(update_fields=["children", "pairs", "model", "finished_at"])
    return run


_PAIR_COLUMNS = ("left_id", "right_id", "probability", "weight", "maybe_twins", "evidence")


def _write_pairs(run: LinkRun, pairs: Iterator[tuple[Any, ...]]) -> int:
    """The run's pairs (left, right, probability, weight, maybe twins, evidence), written.

    On PostgreSQL by COPY: 200,000 pairs at 1,000,000 children took bulk_create about a
    fifth of the run. Elsewhere a chunk at a time (200,000 model instances at once were
    a peak of memory of their own)."""
    written = 0
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(CandidatePair._meta.db_table)
        columns = ", ".join(map(connection.ops.quote_name, ("run_id", "status", *_PAIR_COLUMNS)))
        pending = CandidatePair.Status.PENDING.value
        statement = f"COPY {table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for *values, evidence in pairs:
                copy.write_row((run.pk, pending, *values, json.dumps(evidence)))
                written += 1
        return written
    chunk: list[CandidatePair] = []
    for *values, evidence in pairs:
        fields = dict(zip(_PAIR_COLUMNS, (*values, evidence), strict=True))
        chunk.append(CandidatePair(run=run, **fields))
        if len(chunk) == _WRITE:
            CandidatePair.objects.bulk_create(chunk)
            written, chunk = written + len(chunk), []
    CandidatePair.objects.bulk_create(chunk)
    return written + len(chunk)


@transaction.atomic
def pair_decide_distinct(*, actor: User, pair: CandidatePair) -> CandidatePair:
    """A person says the two records are two children."""
    if not actor.has_perm_code(Perm.CHILD_MERGE):
        raise ValidationError(_("Your role cannot decide on duplicates."), code="forbidden")
    locked = CandidatePair.objects.select_for_update().get(pk=pair.pk)
    if locked.status != CandidatePair.Status.PENDING:
        raise ValidationError(_("This pair has already been decided."), code="decided")
    locked.status = CandidatePair.Status.DISTINCT
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


def pairs_merged(*, actor: User, kept: Child, merged: Child) -> None:
    """The pending pairs of two records a person merged are decided by that merge."""
    left, right = sorted((kept.pk, merged.pk))
    CandidatePair.objects.filter(
        status=CandidatePair.Status.PENDING, left_id=left, right_id=right
    ).update(status=CandidatePair.Status.MERGED, decided_by=actor, decided_at=timezone.now())
