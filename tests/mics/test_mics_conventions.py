"""Coding conventions of the official MICS syntax, case by case on hand-made records."""

from __future__ import annotations

import numpy as np

from qorgau.mics import INDICATORS
from qorgau.mics.estimator import Design, ratio_by_cells

NAN = np.nan


def _frame(**columns: list[float]) -> dict[str, np.ndarray]:
    return {name: np.asarray(values, dtype=float) for name, values in columns.items()}


def test_child_labour_hours_of_97_and_above_never_meet_a_threshold() -> None:
    # Each column is one child; expected results follow the thresholds in mics.md.
    cases = [
        # age, CL1A, CL3, CL8, CL10, CL13, expected
        (8, 1, 1, NAN, NAN, NAN, True),  # 5-11: one hour is enough
        (8, 1, 97, NAN, NAN, NAN, False),  # 97+ is missing
        (8, 1, 98, NAN, NAN, NAN, False),
        (13, 1, 13, NAN, NAN, NAN, False),  # 12-14: 14 hours
        (13, 1, 14, NAN, NAN, NAN, True),
        (16, 1, 42, NAN, NAN, NAN, False),  # 15-17: 43 hours
        (16, 1, 43, NAN, NAN, NAN, True),
        (8, 8, 5, NAN, NAN, NAN, False),  # DK on the activity is not "yes"
        (10, 2, NAN, 10, 98, 11, True),  # chores: known parts add to 21
        (10, 2, NAN, 10, NAN, 10, False),  # 20 hours
        (10, 2, NAN, 99, 99, 99, False),  # nothing known
        (16, 2, NAN, 20, 20, NAN, False),  # chores count for ages 5-14 only
    ]
    columns = list(zip(*cases, strict=True))
    frame = _frame(
        age=columns[0], CL1A=columns[1], CL1B=[2] * len(cases), CL1C=[2] * len(cases),
        CL1X=[2] * len(cases), CL3=columns[2], CL8=columns[3], CL10=columns[4],
        CL13=columns[5],
    )  # fmt: skip
    result = INDICATORS["PR.3"].numerator.evaluate(frame)
    assert result.tolist() == list(columns[6])


def test_hazardous_variant_adds_hazardous_conditions() -> None:
    base = {f"CL1{x}": [2, 2] for x in "ABCX"} | {"CL3": [NAN, NAN], "age": [16, 16]}
    hazards = {f"CL6{x}": [2, 2] for x in "ABCDEX"} | {"CL4": [1, 8], "CL5": [2, 2]}
    chores = {"CL8": [NAN, NAN], "CL10": [NAN, NAN], "CL13": [NAN, NAN]}
    frame = _frame(**base, **hazards, **chores)
    assert INDICATORS["PR.3"].numerator.evaluate(frame).tolist() == [False, False]
    assert INDICATORS["PR.3.HAZ"].numerator.evaluate(frame).tolist() == [True, False]


def test_discipline_counts_only_a_stored_one_as_yes() -> None:
    items = {f"CD2{x}": [2.0] * 4 for x in "ABCDEFGHIJK"}
    items["CD2C"] = [1, 8, 9, NAN]  # spanked: yes, DK, no response, missing
    items["CD2A"] = [1, 1, 1, 1]
    frame = _frame(**items)
    assert INDICATORS["PR.2"].numerator.evaluate(frame).tolist() == [True, False, False, False]
    # Non-violent only: a non-violent method and no violent one.
    assert INDICATORS["PR.2.NV"].numerator.evaluate(frame).tolist() == [False, True, True, True]
    assert INDICATORS["PR.2.PHY"].numerator.evaluate(frame).tolist() == [True, False, False, False]
    assert not INDICATORS["PR.2.SEV"].numerator.evaluate(frame).any()


def test_birth_registration_unknown_counts_as_not_registered() -> None:
    frame = _frame(BR1=[1, 2, 3, 3, 8, NAN], BR2=[NAN, NAN, 1, 2, 8, NAN])
    expected = [True, True, True, False, False, False]
    assert INDICATORS["PR.1"].numerator.evaluate(frame).tolist() == expected


def test_missing_age_at_marriage_counts_as_no() -> None:
    frame = _frame(WAGEM=[14, 15, 17, 18, NAN])
    assert INDICATORS["PR.4a"].numerator.evaluate(frame).tolist() == [1, 0, 0, 0, 0]
    assert INDICATORS["PR.4b"].numerator.evaluate(frame).tolist() == [1, 1, 1, 0, 0]


def test_universe_is_completed_interviews_in_the_age_range() -> None:
    frame = _frame(completed=[1, 2, 1, 1, 1], age=[20, 22, 19, 25, NAN])
    assert INDICATORS["PR.4b"].universe.evaluate(frame).tolist() == [1, 0, 0, 0, 0]


def test_dk_answers_stay_in_the_denominator() -> None:
    # Four children in the domain: one yes, one DK, two no -> 25%, not 33%.
    y = (
        INDICATORS["PR.1"]
        .numerator.evaluate(_frame(BR1=[1, 8, 3, 3], BR2=[NAN, 8, 2, 2]))
        .astype(float)
    )
    design = Design.from_arrays(np.array([1, 1, 2, 2.0]), np.array([1, 2, 3, 4.0]), np.ones(4))
    cells = ratio_by_cells(design, y[None], np.ones(4, bool), np.zeros((1, 4), int), 1)
    assert cells.estimate[0, 0] == 0.25
    assert cells.n_unweighted[0] == 4


def test_domain_estimation_keeps_psus_without_domain_members() -> None:
    # Subsetting first would drop PSU 4 and change stratum 2's variance.
    stratum = np.array([1, 1, 1, 1, 2, 2, 2, 2, 2.0])
    cluster = np.array([1, 1, 2, 2, 3, 3, 4, 5, 5.0])
    weight = np.array([1, 2, 1, 1, 2, 1, 3, 1, 2.0])
    y = np.array([1, 0, 1, 1, 0, 1, 1, 0, 0.0])
    domain = np.array([1, 1, 1, 1, 1, 1, 0, 1, 1], dtype=bool)
    cells = np.zeros((1, 9), int)
    full = ratio_by_cells(Design.from_arrays(stratum, cluster, weight), y[None], domain, cells, 1)
    keep = domain
    subset = ratio_by_cells(
        Design.from_arrays(stratum[keep], cluster[keep], weight[keep]),
        y[None][:, keep],
        domain[keep],
        cells[:, keep],
        1,
    )
    assert full.estimate[0, 0] == subset.estimate[0, 0]
    # By hand: z = w*d*(y-R)/W at PSU level, with n_h/(n_h-1) and stratum means.
    w_d = weight * domain
    ratio = (w_d * y).sum() / w_d.sum()
    z = w_d * (y - ratio) / w_d.sum()
    variance = 0.0
    for h in (1, 2):
        totals = [
            z[(stratum == h) & (cluster == c)].sum() for c in np.unique(cluster[stratum == h])
        ]
        n_h = len(totals)
        variance += n_h / (n_h - 1) * sum((t - np.mean(totals)) ** 2 for t in totals)
    assert np.isclose(full.se[0, 0], np.sqrt(variance), rtol=1e-12)
    assert not np.isclose(subset.se[0, 0], full.se[0, 0])
