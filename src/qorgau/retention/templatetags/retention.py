"""`{% legal_holds case %}` / `{% legal_holds child %}`: holds, the form to place one,
and whether the record was anonymised."""

from typing import Any

from django import template

from qorgau.accounts.roles import Perm
from qorgau.cases.models import Case
from qorgau.children.models import Child
from qorgau.retention.forms import LegalHoldForm
from qorgau.retention.models import LegalHold, RecordKind
from qorgau.retention.services import anonymised_at

register = template.Library()


@register.inclusion_tag("retention/_holds.html", takes_context=True)
def legal_holds(context: template.Context, record: Case | Child) -> dict[str, Any]:
    """Holds on a case or a child. The record came through the access gate in the view
    that renders the page."""
    user = context["request"].user
    can_hold = user.has_perm_code(Perm.LEGAL_HOLD)
    is_case = isinstance(record, Case)
    holds = LegalHold.objects.active().filter(**{"case" if is_case else "child": record})
    return {
        "record": record,
        "place_url": "case-hold" if is_case else "child-hold",
        "lift_url": "case-hold-lift" if is_case else "child-hold-lift",
        "holds": list(holds.select_related("placed_by")),
        "can_hold": can_hold,
        "hold_form": LegalHoldForm() if can_hold else None,
        "anonymised_at": anonymised_at(
            kind=RecordKind.CASE if is_case else RecordKind.CHILD, record_id=record.pk
        ),
        "csrf_token": context.get("csrf_token"),
    }
