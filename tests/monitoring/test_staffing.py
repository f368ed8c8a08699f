"""Specialists against the norm of one per 5,000 children, from the population file."""

from qorgau.monitoring.indicators import Dim, compute
from qorgau.monitoring.services import stats_import
from qorgau.monitoring.staffing import staffing


def test_a_region_with_fewer_specialists_than_the_norm_asks_is_flagged(personas):
    stats_import(
        actor=None,
        kind="population",
        file_name="pop.csv",
        content=b"year,region,sex,age_group,children\n2025,55,M,0-4,50000\n2025,55,F,0-4,50000\n",
    )
    (pavlodar,) = staffing("55")
    # Two caseworkers and a supervisor at the Pavlodar department (tests/personas.py).
    assert pavlodar.specialists == 3
    assert pavlodar.needed == 20
    assert pavlodar.below_norm
    rate = compute("staff.specialists_rate", {Dim.REGION: "55"}, (Dim.REGION,))
    assert rate[("55",)][2] == 3 / 100_000 * 100_000
