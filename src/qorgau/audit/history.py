"""Field-level change history of a child's file and of a case, from simple-history.

Each saved version is compared with the version before it of the same object:
field, old value, new value, who, when. The caller decides who may see it (the
access gate, or an auditor, who gets field names but no values).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from qorgau.cases.choices import Answer, Concern
from qorgau.cases.models import (
    Assessment,
    AssessmentQuestion,
    Case,
    CasePlan,
    PlanAction,
    PoliceNotification,
    Report,
    Transfer,
    Visit,
)
from qorgau.children.models import Child, FamilyMember

_KIND = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class Change:
    field: str
    old: str | None  # None: hidden from this reader
    new: str | None


@dataclass
class Version:
    at: dt.datetime
    who: str
    record: str  # "Case", "Family member"...
    record_id: int
    kind: str  # created / changed / deleted
    changes: list[Change] = field(default_factory=list)


def _history(model: type[models.Model]) -> Any:
    return model.history  # type: ignore[attr-defined]


class _Labels:
    """Turns raw field values into text a person reads: choice labels, names, dates,
    the questions and answers of an assessment."""

    def __init__(self) -> None:
        self._related: dict[tuple[type[models.Model], object], str] = {}
        self._questions: dict[str, str] | None = None

    def __call__(self, model: type[models.Model], model_field: models.Field, value: object) -> str:
        if value is None or value == "" or value == {}:
            return "—"
        if (model, model_field.name) == (Assessment, "answers") and isinstance(value, dict):
            return self._answers(value)
        if (model, model_field.name) == (PoliceNotification, "concerns"):
            return ", ".join(_label(Concern, c) for c in str(value).split(",") if c)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(model_field, models.ForeignKey):
            return self._related_name(model_field.related_model, value)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, dt.datetime):
            return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
        if isinstance(value, dt.date):
            return formats.date_format(value, "SHORT_DATE_FORMAT")
        return str(value)

    def _answers(self, answers: dict[str, object]) -> str:
        """One line per question, in the questionnaire's order: "question: answer"."""
        if self._questions is None:
            language = (get_language() or "ru")[:2]
            self._questions = {q.code: q.text(language) for q in AssessmentQuestion.objects.all()}
        order = [code for code in self._questions if code in answers]
        order += [code for code in answers if code not in self._questions]
        return "\n".join(
            f"{self._questions.get(code, code)}: {_label(Answer, answers[code])}" for code in order
        )

    def _related_name(self, model: Any, pk: object) -> str:
        if (model, pk) not in self._related:
            obj = model._default_manager.filter(pk=pk).first()
            self._related[(model, pk)] = str(obj) if obj is not None else f"#{pk}"
        return self._related[(model, pk)]


def _label(choices: type[models.TextChoices], value: object) -> str:
    return str(dict(choices.choices).get(str(value), value))


def _person(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def _versions(
    model: type[models.Model], records: Iterable[Any], *, show_values: bool, labels: _Labels
) -> list[Version]:
    tracked = [
        f
        for f in model._meta.concrete_fields
        if f.attname in {t.attname for t in _history(model).model.tracked_fields}
        and not f.primary_key
    ]
    previous: dict[int, Any] = {}
    versions = []
    for rec in records:
        before = previous.get(rec.id)
        changes = []
        for f in tracked:
            old = getattr(before, f.attname) if before is not None else None
            new = getattr(rec, f.attname)
            if rec.history_type == "-" or (before is not None and old == new):
                continue
            if before is None and new in (None, ""):
                continue
            changes.append(
                Change(
                    field=str(capfirst(f.verbose_name)),
                    old=labels(model, f, old) if show_values else None,
                    new=labels(model, f, new) if show_values else None,
                )
            )
        previous[rec.id] = rec
        if rec.history_type == "~" and not changes:
            continue  # saved without a change worth showing
        user = rec.history_user
        versions.append(
            Version(
                at=rec.history_date,
                who=_person(user) if user is not None else _("system"),
                record=str(capfirst(model._meta.verbose_name)),
                record_id=rec.id,
                kind=_KIND[rec.history_type],
                changes=changes,
            )
        )
    return versions


def _collect(
    sources: Iterable[tuple[type[models.Model], models.Q]], *, show_values: bool
) -> list[Version]:
    labels = _Labels()
    versions: list[Version] = []
    for model, condition in sources:
        records = (
            _history(model)
            .filter(condition)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        versions += _versions(model, records, show_values=show_values, labels=labels)
    versions.sort(key=lambda v: v.at, reverse=True)
    return versions


def _ids(model: type[models.Model], **condition: object) -> list[int]:
    """Ids of every object that ever matched, deleted ones included."""
    return list(_history(model).filter(**condition).values_list("id", flat=True).distinct())


def child_history(*, child_id: int, show_values: bool) -> list[Version]:
    """The child's record and family, newest first."""
    return _collect(
        [
            (Child, models.Q(id=child_id)),
            (FamilyMember, models.Q(id__in=_ids(FamilyMember, child_id=child_id))),
        ],
        show_values=show_values,
    )


def case_history(*, case_id: int, show_values: bool) -> list[Version]:
    """The case, its reports, assessments, plans, visits, notices and transfers."""
    plan_ids = _ids(CasePlan, case_id=case_id)
    by_case = [Assessment, CasePlan, Visit, PoliceNotification, Transfer]
    return _collect(
        [
            (Case, models.Q(id=case_id)),
            (Report, models.Q(id__in=_ids(Report, case_id=case_id))),
            *[(m, models.Q(id__in=_ids(m, case_id=case_id))) for m in by_case],
            (PlanAction, models.Q(id__in=_ids(PlanAction, plan_id__in=plan_ids))),
        ],
        show_values=show_values,
    )
