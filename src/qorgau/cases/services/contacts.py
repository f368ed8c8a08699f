"""The contact log: calls, meetings and messages beyond the formal visits."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qorgau import limits
from qorgau.accounts.models import User
from qorgau.cases import timeline
from qorgau.cases.models import Case, ContactNote
from qorgau.cases.services.followup import visit_date_problems
from qorgau.cases.services.locking import lock_case_to_add
from qorgau.cases.workflow import Action
from qorgau.children.models import Child
from qorgau.limits import text_problems


def contact_problems(
    *, case: Case, contacted_on: dt.date, with_whom: str, summary: str, child: Child | None
) -> dict[str, Any]:
    problems: dict[str, Any] = text_problems(
        with_whom=(with_whom, limits.LINE), summary=(summary, limits.NARRATIVE)
    )
    # The same dates as a visit: while the case is open, never in the future.
    problems.update(visit_date_problems(case=case, visited_on=contacted_on, field="contacted_on"))
    if not with_whom.strip():
        problems["with_whom"] = _("Say with whom: a name or a role (mother, class teacher).")
    if not summary.strip():
        problems["summary"] = _("Record what was said or agreed.")
    if child is not None and not case.children.filter(pk=child.pk).exists():
        problems["child"] = _("That child is not in this case.")
    return problems


@transaction.atomic
def contact_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    contacted_on: dt.date,
    with_whom: str,
    summary: str,
    child: Child | None = None,
) -> ContactNote:
    case = lock_case_to_add(actor=actor, case=case, action=Action.VISIT)
    errors = contact_problems(
        case=case, contacted_on=contacted_on, with_whom=with_whom, summary=summary, child=child
    )
    if errors:
        raise ValidationError(errors)
    note = ContactNote.objects.create(
        case=case,
        child=child,
        kind=ContactNote.Kind(kind),
        contacted_on=contacted_on,
        with_whom=with_whom.strip(),
        summary=summary.strip(),
        recorded_by=actor,
    )
    timeline.record(
        actor=actor,
        kind="contact_recorded",
        case=case,
        contact=note.kind,
        visited_on=contacted_on.isoformat(),
    )
    return note
