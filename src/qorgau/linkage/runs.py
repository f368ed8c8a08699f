"""Running the batch model over the registry and deciding the pairs it proposes."""

from collections.abc import Iterator
from typing import Any

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.accounts.models import User
from qorgau.accounts.roles import Perm
from qorgau.children.models import Child, FamilyMember
from qorgau.linkage import batch
from qorgau.linkage.models import CandidatePair, LinkRun
from qorgau.linkage.selectors import unmerged

_CHUNK = 20_000


def registry_rows() -> Iterator[dict[str, Any]]:
    """Every child not merged into another, as the model's input rows, chunk by chunk."""
    children = unmerged(Child.objects.all()).order_by("pk")
    mothers: dict[int, str] = {}
    carers = FamilyMember.objects.filter(
        Q(relationship=FamilyMember.Relationship.MOTHER) | Q(is_caregiver=True)
    ).order_by("child_id", "relationship", "pk")
    for child_id, name in carers.values_list("child_id", "full_name").iterator(_CHUNK):
        mothers.setdefault(child_id, name)
    # The IIN's keyed hash, not the IIN: equal exactly when the IINs are, and nothing
    # to decrypt (a million decryptions were a fifth of the run).
    fields = ("pk", "last_name", "first_name", "middle_name", "birth_date", "sex", "iin_hash")
    for row in children.values_list(*fields, "place__kato").iterator(_CHUNK):
        pk, last, first, middle, born, sex, iin, kato = row
        yield {
            "record_id": pk,
            "last_name": last,
            "first_name": first,
            "middle_name": middle,
            "birth_date": born,
            "sex": sex,
            "iin": iin,
            "kato": kato,
            "mother_name": mothers.get(pk, ""),
        }


def link_run(*, thresholds: batch.Thresholds = batch.DEFAULT) -> LinkRun:
    """Score the registry; pairs from the review threshold up go to the review queue.

    Pending pairs of earlier runs are superseded (kept, marked), decided ones stay.
    """
    run = LinkRun.objects.create(
        started_at=timezone.now(),
        review_threshold=thresholds.review,
        high_threshold=thresholds.high,
    )
    frame = batch.prepared(registry_rows())
    scored = batch.score(frame, thresholds=thresholds)
    children = len(frame)
    del frame  # the registry's million rows are not needed for the pairs: memory at 1M
    decided = set(
        CandidatePair.objects.exclude(
            status__in=[CandidatePair.Status.PENDING, CandidatePair.Status.SUPERSEDED]
        ).values_list("left_id", "right_id")
    )
    pairs = []
    # Rows as dicts a chunk at a time: all of them at once (200,000 pairs of some sixty
    # columns at 1M children) were the run's peak of memory.
    for pair in _records(scored.pairs):
        left, right = sorted((int(pair["unique_id_l"]), int(pair["unique_id_r"])))
        if (left, right) in decided:
            continue  # a person already said what this pair is
        pairs.append(
            CandidatePair(
                run=run,
                left_id=left,
                right_id=right,
                probability=float(pair["match_probability"]),
                weight=float(pair["match_weight"]),
                evidence=batch.evidence(pair, scored.model),
                maybe_twins=bool(pair["maybe_twins"]),
            )
        )
    with transaction.atomic():
        CandidatePair.objects.filter(status=CandidatePair.Status.PENDING).update(
            status=CandidatePair.Status.SUPERSEDED
        )
        CandidatePair.objects.bulk_create(pairs, batch_size=5000)
        run.children, run.pairs = children, len(pairs)
        run.model, run.finished_at = scored.model, timezone.now()
        run.save(update_fields=["children", "pairs", "model", "finished_at"])
    return run


def _records(table: pd.DataFrame, size: int = 5000) -> Iterator[dict[str, Any]]:
    for start in range(0, len(table), size):
        yield from table.iloc[start : start + size].to_dict("records")


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
