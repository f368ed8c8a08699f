"""Only the owning organisation's supervisors place or lift legal holds."""

import pytest
from django.core.exceptions import ValidationError

from personas import make_case
from qorgau.grants.services import emergency_access_start
from qorgau.retention.holds import legal_hold_lift, legal_hold_place
from qorgau.retention.models import LegalHold


def test_a_supervisor_with_emergency_access_cannot_lift_another_organisations_hold(
    caseworker_pavlodar, supervisor_pavlodar, supervisor_astana
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    hold = legal_hold_place(actor=supervisor_pavlodar, case=case, reason="Court order 12/2026")
    emergency_access_start(
        actor=supervisor_astana,
        case=case,
        reason="Night call from the police about this child, urgent",
    )
    with pytest.raises(ValidationError):
        legal_hold_lift(actor=supervisor_astana, hold=hold)
    with pytest.raises(ValidationError):
        legal_hold_place(actor=supervisor_astana, case=case, reason="Mine")
    assert LegalHold.objects.active().filter(case=case).count() == 1


def test_a_hold_on_a_child_outside_the_territory_is_refused(
    caseworker_pavlodar, supervisor_astana, pavlodar_city
):
    from personas import make_child

    child = make_child(actor=caseworker_pavlodar, place=pavlodar_city)
    with pytest.raises(ValidationError):
        legal_hold_place(actor=supervisor_astana, child=child, reason="Not ours")
