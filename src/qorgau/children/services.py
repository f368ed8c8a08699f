"""Writes to children and their families."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.accounts.models import Organisation, User
from qorgau.accounts.roles import Perm
from qorgau.children.iin import InvalidIIN, parse_iin
from qorgau.children.models import ADULT_AGE, Child, FamilyMember, Sex
from qorgau.children.names import fold_name
from qorgau.places.models import Place
from qorgau.protection.keys import iin_hashes


def iin_problems(iin: str, *, birth_date: dt.date | None, sex: str) -> dict[str, str]:
    """Field -> message for an IIN that is invalid or disagrees with the child's data."""
    try:
        facts = parse_iin(iin)
    except InvalidIIN as exc:
        return {"iin": str(exc.args[0])}
    problems = {}
    if birth_date is not None and facts.birth_date != birth_date:
        problems["birth_date"] = _(
            "The IIN says the child was born on %(date)s, but the date of birth entered differs."
        ) % {"date": facts.birth_date.strftime("%d.%m.%Y")}
    if sex in (Sex.MALE, Sex.FEMALE) and facts.sex != sex:
        problems["sex"] = _("The IIN belongs to a %(sex)s, but the sex entered differs.") % {
            "sex": _("boy") if facts.sex == Sex.MALE else _("girl")
        }
    return problems


def search_key(*names: str) -> str:
    return " ".join(fold_name(n) for n in names if n)


def birth_date_problems(birth_date: dt.date | None) -> dict[str, str]:
    if birth_date is not None and birth_date > timezone.localdate():
        return {"birth_date": _("The date of birth is in the future.")}
    return {}


def child_problems(
    *, iin: str | None, birth_date: dt.date | None, sex: str, child_pk: int | None = None
) -> dict[str, Any]:
    """Field -> what is wrong with a child's date of birth and IIN, all of it at once.

    The IIN must be valid, agree with the child's data, and be nobody else's.
    """
    problems: dict[str, Any] = birth_date_problems(birth_date)
    if not iin:
        return problems
    dated = None if problems else birth_date  # a future date is wrong whatever the IIN says
    problems = {**iin_problems(iin, birth_date=dated, sex=sex), **problems}
    if "iin" in problems:
        return problems
    others = Child.objects.filter(iin_hash__in=iin_hashes(iin))
    existing = (others.exclude(pk=child_pk) if child_pk is not None else others).first()
    if existing is not None:
        # The code goes on the field's error: a dict-level code is dropped by Django.
        problems["iin"] = ValidationError(
            _("A child with this IIN is already registered (record %(id)s).") % {"id": existing.pk},
            code="duplicate_iin",
        )
    return problems


def identity_problems(child: Child) -> dict[str, str]:
    """A child is named, or described until identified; a child is under 18."""
    if child.approximate_age is not None and child.approximate_age >= ADULT_AGE:
        return {"approximate_age": _("A child is under 18.")}
    if not child.first_name.strip() and child.approximate_age is None and not child.description:
        return {
            "first_name": _(
                "Give the first name, or, for a child not yet identified, an approximate "
                "age or a description."
            )
        }
    return {}


def _validate(record: Child | FamilyMember, problems: dict[str, Any], exclude: list[str]) -> None:
    """Refuse the record with the problems found and every field the model refuses."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        record.full_clean(exclude=exclude)
    except ValidationError as exc:
        errors = {field: list(found) for field, found in exc.error_dict.items()}
    for field, problem in problems.items():
        errors.setdefault(field, []).insert(0, ValidationError(problem))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def child_register(
    *,
    actor: User,
    first_name: str,
    place: Place,
    last_name: str = "",
    middle_name: str = "",
    other_spelling: str = "",
    birth_date: dt.date | None = None,
    birth_date_estimated: bool = False,
    sex: str = Sex.UNKNOWN,
    iin: str | None = None,
    address: str = "",
    languages: str = "",
    disability: bool = False,
    disability_note: str = "",
    school: Organisation | None = None,
    approximate_age: int | None = None,
    description: str = "",
) -> Child:
    """Register a child; one not yet identified needs no invented name, only an
    approximate age or a description."""
    if not actor.has_perm_code(Perm.CHILD_REGISTER):
        raise ValidationError(_("Your role cannot register children."), code="forbidden")
    iin = iin or None
    child = Child(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        middle_name=middle_name.strip(),
        other_spelling=other_spelling.strip(),
        birth_date=birth_date,
        birth_date_estimated=birth_date_estimated,
        sex=sex,
        iin=iin,
        place=place,
        region_code=place.region_code,
        address=address,
        languages=languages,
        disability=disability,
        disability_note=disability_note,
        school=school,
        approximate_age=approximate_age,
        description=description.strip(),
        created_by=actor,
    )
    child.search_key = search_key(last_name, first_name, middle_name, other_spelling)
    problems = {
        **child_problems(iin=iin, birth_date=birth_date, sex=sex),
        **identity_problems(child),
    }
    _validate(child, problems, exclude=["search_key", "created_by"])
    child.save()
    return child


# What a correction may change; who registered the child and when stays.
EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "middle_name",
    "other_spelling",
    "birth_date",
    "birth_date_estimated",
    "sex",
    "iin",
    "place",
    "address",
    "languages",
    "disability",
    "disability_note",
    "school",
    "approximate_age",
    "description",
)


# Called in child_update's transaction with the changed record: the cases layer keeps
# monitoring's rollups of the child's reports (sex, age group) current this way.
_CHANGE_HOOKS: list[Callable[[Child], None]] = []


def register_child_change_hook(hook: Callable[[Child], None]) -> None:
    if hook not in _CHANGE_HOOKS:
        _CHANGE_HOOKS.append(hook)


@transaction.atomic
def child_update(*, actor: User, child: Child, version: int, **changes: Any) -> Child:
    """Correct a child's record; refused when someone else changed it meanwhile."""
    if not actor.has_perm_code(Perm.CHILD_REGISTER):
        raise ValidationError(_("Your role cannot change children's records."), code="forbidden")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    locked = Child.objects.select_for_update().get(pk=child.pk)
    if locked.version != version:
        raise ValidationError(
            _(
                "Someone else changed this record while you were editing it. Your changes "
                "were not saved: reload the page to see theirs, then try again."
            ),
            code="stale_version",
        )
    moved = "place" in changes and changes["place"] != locked.place
    for field, value in changes.items():
        setattr(locked, field, value.strip() if isinstance(value, str) else value)
    locked.iin = locked.iin or None
    locked.region_code = locked.place.region_code if locked.place_id else ""
    if moved:
        # Its cases may now be of another region (the mark is never cleared: models.py).
        locked.linked_beyond_region = True
    problems = {
        **child_problems(
            iin=locked.iin, birth_date=locked.birth_date, sex=locked.sex, child_pk=locked.pk
        ),
        **identity_problems(locked),
    }
    locked.search_key = search_key(
        locked.last_name, locked.first_name, locked.middle_name, locked.other_spelling
    )
    _validate(locked, problems, exclude=["search_key", "created_by"])
    locked.version += 1
    locked.save()
    for hook in _CHANGE_HOOKS:
        hook(locked)
    return locked


@transaction.atomic
def family_member_add(
    *,
    actor: User,
    child: Child,
    relationship: str,
    full_name: str,
    birth_date: dt.date | None = None,
    phone: str = "",
    is_caregiver: bool = False,
    lives_with_child: bool = True,
) -> FamilyMember:
    if not actor.has_perm_code(Perm.CHILD_REGISTER):
        raise ValidationError(_("Your role cannot change family records."), code="forbidden")
    member = FamilyMember(
        child=child,
        relationship=relationship,
        full_name=full_name.strip(),
        birth_date=birth_date,
        phone=phone,
        is_caregiver=is_caregiver,
        lives_with_child=lives_with_child,
    )
    _validate(member, birth_date_problems(birth_date), exclude=[])
    member.save()
    return member


@transaction.atomic
def family_member_update(*, actor: User, member: FamilyMember, **changes: Any) -> FamilyMember:
    """Correct a family member's details (the field history keeps the old ones)."""
    if not actor.has_perm_code(Perm.CHILD_REGISTER):
        raise ValidationError(_("Your role cannot change family records."), code="forbidden")
    locked = FamilyMember.objects.select_for_update().get(pk=member.pk)
    for field, value in changes.items():
        setattr(locked, field, value.strip() if isinstance(value, str) else value)
    _validate(locked, birth_date_problems(locked.birth_date), exclude=[])
    locked.save()
    return locked
