"""`{% legal_holds case %}` on the case page: holds, the form to place one, anonymisation."""

from typing import Any

from django import template

from qorgau.accounts.roles import Perm
from qorgau.cases.models import Case
from qorgau.retention.forms import LegalHoldForm
from qorgau.retention.models import LegalHold, RecordKind
from qorgau.retention.services import anonymised_at

register = template.Library()


@register.inclusion_tag("retention/_holds.html", takes_context=True)
def legal_holds(context: template.Context, case: Case) -> dict[str, Any]:
    """The case came through the access gate in the view that renders the page."""
    user = context["request"].user
    can_hold = user.has_perm_code(Perm.LEGAL_HOLD)
    return {
        "case": case,
        "holds": list(LegalHold.objects.active().filter(case=case).select_related("placed_by")),
        "can_hold": can_hold,
        "hold_form": LegalHoldForm() if can_hold else None,
        "anonymised_at": anonymised_at(kind=RecordKind.CASE, record_id=case.pk),
        "csrf_token": context.get("csrf_token"),
    }
