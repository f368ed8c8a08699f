"""How alike a child as entered is to a registered child: points and the reasons for them.

Names are compared after `children.names.fold_name` (Kazakh letters, Latin/Cyrillic
spellings), with rapidfuzz: `token_sort_ratio` on the whole name, so swapped first and
last names still meet. The points are a plain, explainable sum; the probabilistic model
of the batch run (qorgau.linkage.batch) is the tool for the whole registry.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

from qorgau.children.names import fold_name as _fold_name

# Names repeat (a registry has a few thousand distinct ones): fold each once.
fold_name = lru_cache(maxsize=100_000)(_fold_name)

# A score from here up is a likely match: registering anyway needs a confirmation.
LIKELY = 60
# A score from here up is shown at all.
POSSIBLE = 40
SAME_IIN = 100

REASONS: dict[str, Promise] = {
    "iin": _("same IIN"),
    "name_same": _("same name after folding Kazakh letters and transliteration"),
    "name_similar": _("similar name"),
    "birth_same": _("same date of birth"),
    "birth_swapped": _("date of birth with day and month swapped"),
    "birth_near": _("date of birth within a year"),
    "place_same": _("same place of residence"),
    "district_same": _("same district"),
    "caregiver": _("shared caregiver"),
    "sibling": _("may be a twin or sibling: same birth date and family, other first name"),
}


@dataclass(frozen=True)
class Entered:
    """The child as typed at intake."""

    last_name: str = ""
    first_name: str = ""
    middle_name: str = ""
    birth_date: dt.date | None = None
    iin: str = ""
    kato: str = ""  # the place of residence, if given
    caregiver_name: str = ""

    @property
    def folded(self) -> str:
        return " ".join(fold_name(n) for n in (self.last_name, self.first_name, self.middle_name))


@dataclass(frozen=True)
class Registered:
    """What a registered child is compared on (names in clear, decrypted IIN)."""

    last_name: str
    first_name: str
    middle_name: str
    other_spelling: str
    birth_date: dt.date | None
    iin: str
    kato: str
    caregivers: tuple[str, ...] = ()


@dataclass
class Score:
    points: int = 0
    reasons: list[str] = field(default_factory=list)
    different_iin: bool = False

    def add(self, points: int, reason: str) -> None:
        self.points += points
        self.reasons.append(reason)


def swapped(day: dt.date) -> dt.date | None:
    """The date with day and month swapped, if that is a date and another one."""
    if day.day > 12 or day.day == day.month:
        return None
    return day.replace(month=day.day, day=day.month)


def _name_similarity(entered: Entered, child: Registered) -> float:
    wanted = " ".join(entered.folded.split())
    # A patronymic not given is not held against the record (reporters often omit it).
    parts = (child.last_name, child.first_name, child.middle_name if entered.middle_name else "")
    spellings = [" ".join(fold_name(n) for n in parts if n), fold_name(child.other_spelling)]
    return max(fuzz.token_sort_ratio(wanted, s) for s in spellings if s)


def score(entered: Entered, child: Registered) -> Score:
    result = Score()
    if entered.iin and child.iin:
        if entered.iin == child.iin:
            result.add(SAME_IIN, "iin")
            return result
        # Two valid, different IINs are never the same child.
        result.different_iin = True
        return result
    similarity = _name_similarity(entered, child)
    if similarity >= 90:
        result.add(45, "name_same")
    elif similarity >= 75:
        result.add(30, "name_similar")
    born, theirs = entered.birth_date, child.birth_date
    same_birth = born is not None and born == theirs
    if born and theirs:
        if same_birth:
            result.add(30, "birth_same")
        elif swapped(born) == theirs:
            result.add(20, "birth_swapped")
        elif abs((born - theirs).days) <= 366:
            result.add(10, "birth_near")
    if entered.kato and entered.kato == child.kato:
        result.add(15, "place_same")
    elif entered.kato and entered.kato[:4] == child.kato[:4]:
        result.add(8, "district_same")
    carer = fold_name(entered.caregiver_name)
    shared_carer = bool(carer) and any(
        fuzz.token_sort_ratio(carer, fold_name(c)) >= 85 for c in child.caregivers
    )
    if shared_carer:
        result.add(15, "caregiver")
    # The first name as entered, also where a swap of first and last name put it.
    first = fold_name(entered.first_name)
    theirs_first = (fold_name(child.first_name), fold_name(child.last_name))
    first_alike = any(fuzz.ratio(first, name) >= 60 for name in theirs_first)
    if same_birth and not first_alike and (shared_carer or similarity >= 50):
        # Twins share surname, birth date and mother: a different first name is a
        # different child unless an IIN says otherwise.
        result.points = min(result.points, POSSIBLE)
        result.reasons.append("sibling")
    return result
