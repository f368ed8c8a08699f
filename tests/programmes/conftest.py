import io

import pytest

from qorgau.programmes.models import ResponsibleBody
from qorgau.programmes.plan import plan_import
from qorgau.programmes.synthetic import synthetic_plan


@pytest.fixture
def plan(db, personas):
    """The synthetic plan, the Pavlodar akimat reported for by the Pavlodar department and
    the Ministry of Education by the ministry."""
    out = io.BytesIO()
    synthetic_plan().save(out)
    out.seek(0)
    result = plan_import(source=out, programme_code="qazaqstan-balalary")
    assert result.stored, result.errors
    ResponsibleBody.objects.filter(code="akimat-55").update(organisation=personas.dept_pavlodar)
    ResponsibleBody.objects.filter(code="min-education").update(organisation=personas.ministry)
    return result
