"""A synthetic MICS dataset (never real people) written as SPSS ``.sav`` files.

Two-stage design: strata are region x area, clusters (``HH1``) are drawn in each
stratum and households (``HH2``) in each cluster. Prevalences vary by region,
area, wealth and cluster, so design effects are realistic. Non-interviewed
households and individuals carry weight 0, some answers are "don't know" (8),
hours include 98 (DK), and on request one stratum has a single cluster. One
cluster always has a single completed household interview, so every import
check has something to find.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyreadstat

# HH7 labels: Kazakhstan's 17 regions and 3 cities of republican significance.
REGIONS = (
    "Abai Region", "Akmola Region", "Aktobe Region", "Almaty Region", "Atyrau Region",
    "West Kazakhstan Region", "Zhambyl Region", "Jetisu Region", "Karaganda Region",
    "Kostanay Region", "Kyzylorda Region", "Mangystau Region", "Pavlodar Region",
    "North Kazakhstan Region", "Turkistan Region", "Ulytau Region", "East Kazakhstan Region",
    "Astana", "Almaty", "Shymkent",
)  # fmt: skip
CITIES = frozenset({"Astana", "Almaty", "Shymkent"})
HOUSEHOLDS_PER_CLUSTER = 20

YES_NO = {1.0: "Yes", 2.0: "No", 8.0: "DK", 9.0: "No response"}
AREA = {1.0: "Urban", 2.0: "Rural"}
SEX = {1.0: "Male", 2.0: "Female"}
WEALTH = {1.0: "Poorest", 2.0: "Second", 3.0: "Middle", 4.0: "Fourth", 5.0: "Richest"}
EDUCATION = {
    1.0: "Basic secondary or lower",
    2.0: "General secondary",
    3.0: "Technical and vocational",
    4.0: "Higher",
}
RESULT = {1.0: "Completed", 2.0: "Not at home", 3.0: "Refused", 4.0: "Other"}
BR1 = {1.0: "Yes, seen", 2.0: "Yes, not seen", 3.0: "No", 8.0: "DK"}
MA1 = {1.0: "Yes, currently married", 2.0: "Yes, living with a partner", 3.0: "No, not in union"}
HOURS = {98.0: "DK", 99.0: "No response"}

Layout = Literal["mics6", "mics5"]


def generate_synthetic(
    path: str | Path,
    households: int = 2000,
    seed: int = 0,
    layout: Layout = "mics6",
    *,
    single_cluster_stratum: bool = False,
) -> Path:
    """Write hh, hl, wm, mn, ch (and fs for MICS6) ``.sav`` files into ``path``."""
    rng = np.random.default_rng(seed)
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    hh = _households(rng, households, single_cluster_stratum)
    members = _members(rng, hh)
    strata_labels = hh.attrs["stratum_labels"]
    files = {
        "hh": _hh_file(rng, hh, members, layout),
        "hl": members[["HH1", "HH2", "HL1", "HL4", "HL6"]],
        "wm": _adults(rng, members, "wm", layout),
        "mn": _adults(rng, members, "mn", layout),
        "ch": _under_fives(rng, members, layout),
    }
    if layout == "mics6":
        files["fs"] = _selected_children(rng, members)
    common = {
        "HH6": AREA,
        "HH7": {float(i + 1): name for i, name in enumerate(REGIONS)},
        "windex5": WEALTH,
        "stratum": strata_labels,
        "HL4": SEX,
    }
    for name, frame in files.items():
        labels = {
            var: value_labels
            for var, value_labels in {**common, **_labels(layout)}.items()
            if var in frame.columns
        }
        pyreadstat.write_sav(frame, str(folder / f"{name}.sav"), variable_value_labels=labels)
    return folder


def _labels(layout: Layout) -> dict[str, Mapping[float, str]]:
    labels: dict[str, Mapping[float, str]] = {
        "melevel": EDUCATION, "welevel": EDUCATION, "mwelevel": EDUCATION,
        "BR1": BR1, "BR2": YES_NO, "MA1": MA1,
        "HH46": RESULT, "HH9": RESULT, "WM17": RESULT, "WM7": RESULT, "MWM17": RESULT,
        "MWM7": RESULT, "UF17": RESULT, "UF9": RESULT, "FS17": RESULT,
        "CL3": HOURS, "CL8": HOURS, "CL10": HOURS, "CL13": HOURS,
    }  # fmt: skip
    items = [f"{p}{x}" for p in ("UCD2", "FCD2", "CD3") for x in "ABCDEFGHIJK"]
    items += [f"{p}{x}" for p in ("DV1", "MDV1") for x in "ABCDE"]
    items += ["CL1A", "CL1B", "CL1C", "CL1X", "CL4", "CL5", "CL7", "CL9", "CL12"]
    items += [f"CL6{x}" for x in "ABCDEX"]
    labels.update(dict.fromkeys(items, YES_NO))
    return labels


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def _households(rng: np.random.Generator, households: int, single: bool) -> pd.DataFrame:
    strata = [
        (r + 1, area)
        for r, name in enumerate(REGIONS)
        for area in ((1,) if name in CITIES else (1, 2))
    ]
    share = rng.uniform(0.5, 1.5, len(strata))
    share /= share.sum()
    n_clusters = max(households // HOUSEHOLDS_PER_CLUSTER, 2 * len(strata))
    alloc = np.maximum(2, np.floor(share * n_clusters)).astype(int)
    if single:
        alloc[1] = 1  # the first region's rural stratum
    stratum_of_cluster = np.repeat(np.arange(len(strata)), alloc)
    n_clusters = len(stratum_of_cluster)
    per_cluster = np.full(n_clusters, households // n_clusters)
    per_cluster[: households - per_cluster.sum()] += 1
    cluster = np.repeat(np.arange(n_clusters), per_cluster)
    stratum = stratum_of_cluster[cluster]
    region = np.array([s[0] for s in strata])[stratum]
    area = np.array([s[1] for s in strata])[stratum]

    # Selection probabilities differ by stratum and (PPS) by cluster.
    base = share[stratum] / alloc[stratum] * rng.uniform(0.7, 1.3, n_clusters)[cluster]
    completed = rng.random(households) < 0.95
    completed[cluster == 2] = False
    completed[np.flatnonzero(cluster == 2)[0]] = True  # a cluster with one interview
    w = np.zeros(households)
    w[completed] = base[completed] * 1e6
    for s in np.unique(stratum):  # non-response adjustment within stratum
        in_s = stratum == s
        w[in_s] *= in_s.sum() / max(completed[in_s].sum(), 1)
    w *= completed.sum() / w.sum()

    region_effect = rng.normal(0, 0.5, len(REGIONS))
    cluster_effect = rng.normal(0, 0.4, n_clusters)
    wealth_score = (
        (area == 1) * 0.8 + region_effect[region - 1] * 0.5 + cluster_effect[cluster]
        + rng.normal(0, 1, households)
    )  # fmt: skip
    windex5 = pd.qcut(wealth_score, 5, labels=False) + 1
    hh = pd.DataFrame(
        {
            "HH1": cluster + 1.0,
            "HH2": np.concatenate([np.arange(1, k + 1) for k in per_cluster]).astype(float),
            "HH6": area.astype(float),
            "HH7": region.astype(float),
            "stratum": stratum + 1.0,
            "completed": completed,
            "hhweight": w,
            "windex5": windex5.astype(float),
            "risk": region_effect[region - 1] + cluster_effect[cluster] - 0.15 * windex5,
        }
    )
    hh.attrs["stratum_labels"] = {
        float(i + 1): f"{REGIONS[r - 1]} - {AREA[float(a)]}" for i, (r, a) in enumerate(strata)
    }
    return hh


def _members(rng: np.random.Generator, hh: pd.DataFrame) -> pd.DataFrame:
    """Household members of completed households; ages drawn by role."""
    done = hh[hh["completed"]]
    counts = {
        "woman": 1 + rng.binomial(1, 0.35, len(done)),
        "man": rng.binomial(2, 0.45, len(done)),
        "under5": rng.binomial(3, 0.2, len(done)),
        "child": rng.binomial(4, 0.3, len(done)),
        "older": rng.binomial(2, 0.3, len(done)),
    }
    ages = {
        "woman": (15, 49), "man": (15, 49), "under5": (0, 4), "child": (5, 17), "older": (50, 80),
    }  # fmt: skip
    parts = []
    for role, k in counts.items():
        idx = np.repeat(np.arange(len(done)), k)
        low, high = ages[role]
        age = rng.integers(low, high + 1, len(idx))
        if role in ("woman", "man"):
            # Young adults are rarer than the uniform draw suggests; keeps 15-24 plausible.
            age = np.where(rng.random(len(idx)) < 0.3, rng.integers(15, 25, len(idx)), age)
        if role == "woman":
            sex = np.full(len(idx), 2.0)
        elif role == "man":
            sex = np.full(len(idx), 1.0)
        else:
            sex = rng.integers(1, 3, len(idx)).astype(float)
        parts.append(pd.DataFrame({"row": idx, "role": role, "HL4": sex, "HL6": age.astype(float)}))
    members = pd.concat(parts, ignore_index=True).sort_values("row", kind="stable")
    members["HL1"] = members.groupby("row").cumcount() + 1.0
    for column in ("HH1", "HH2", "HH6", "HH7", "stratum", "hhweight", "windex5", "risk"):
        members[column] = done[column].to_numpy()[members["row"].to_numpy()]
    mother_education = rng.choice([1.0, 2.0, 3.0, 4.0], len(done), p=[0.15, 0.3, 0.3, 0.25])
    members["melevel"] = mother_education[members["row"].to_numpy()]
    return members.reset_index(drop=True)


def _respondents(
    rng: np.random.Generator, people: pd.DataFrame, rate: float, selection: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Completion flag and normalised weight (0 when not completed)."""
    completed = rng.random(len(people)) < rate
    w = people["hhweight"].to_numpy() * (1.0 if selection is None else selection)
    w = np.where(completed, w / rate, 0.0)
    if w.sum() > 0:
        w *= completed.sum() / w.sum()
    return completed, w


def _answers(
    rng: np.random.Generator, base: float, risk: np.ndarray, dk: float = 0.01
) -> np.ndarray:
    """1 yes / 2 no / 8 DK with a logit-scale shift."""
    yes = rng.random(len(risk)) < _sigmoid(_logit(base) + risk)
    out = np.where(yes, 1.0, 2.0)
    return np.where(rng.random(len(risk)) < dk, 8.0, out)


def _result(completed: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.where(completed, 1.0, rng.choice([2.0, 3.0, 4.0], len(completed)))


def _design(frame: pd.DataFrame, layout: Layout) -> pd.DataFrame:
    columns = ["HH1", "HH2", "HH6", "HH7", "windex5"]
    if layout == "mics6":
        columns.append("stratum")
    return frame[columns].reset_index(drop=True)


_DISCIPLINE_BASE = dict(zip("ABCDEFGHIJK", (0.7, 0.6, 0.2, 0.35, 0.5, 0.08, 0.1, 0.25, 0.03, 0.04,
                                             0.03), strict=True))  # fmt: skip


def _discipline(rng: np.random.Generator, risk: np.ndarray, asked: np.ndarray, prefix: str):
    child = risk + rng.normal(0, 0.8, len(risk))
    return {
        f"{prefix}{x}": np.where(asked, _answers(rng, p, child, dk=0.005), np.nan)
        for x, p in _DISCIPLINE_BASE.items()
    }


def _hh_file(
    rng: np.random.Generator, hh: pd.DataFrame, members: pd.DataFrame, layout: Layout
) -> pd.DataFrame:
    out = _design(hh, layout)
    result = _result(hh["completed"].to_numpy(), rng)
    out["HH46" if layout == "mics6" else "HH9"] = result
    out["hhweight"] = hh["hhweight"].to_numpy()
    if layout == "mics5":
        out = pd.concat([out, _mics5_selected_child(rng, hh, members)], axis=1)
    return out


def _mics5_selected_child(
    rng: np.random.Generator, hh: pd.DataFrame, members: pd.DataFrame
) -> pd.DataFrame:
    kids = members[(members["HL6"] >= 1) & (members["HL6"] <= 17)]
    chosen = kids.sample(frac=1.0, random_state=rng).drop_duplicates("row").sort_values("row")
    done_rows = np.flatnonzero(hh["completed"].to_numpy())
    n = len(hh)
    sl1 = np.full(n, np.nan)
    sl1[done_rows] = 0.0
    sl1[done_rows[kids["row"].value_counts().index]] = kids["row"].value_counts().to_numpy()
    line = np.full(n, np.nan)
    age = np.full(n, np.nan)
    line[done_rows[chosen["row"]]] = chosen["HL1"].to_numpy()
    age[done_rows[chosen["row"]]] = chosen["HL6"].to_numpy()
    asked = (age >= 1) & (age <= 14)
    risk = hh["risk"].to_numpy()
    return pd.DataFrame(
        {"SL1": sl1, "SL9B": line, "SL9C": age, **_discipline(rng, risk, asked, "CD3")}
    )


def _under_fives(rng: np.random.Generator, members: pd.DataFrame, layout: Layout) -> pd.DataFrame:
    kids = members[members["role"] == "under5"]
    completed, w = _respondents(rng, kids, 0.96)
    risk = kids["risk"].to_numpy()
    out = _design(kids, layout)
    out["LN"] = kids["HL1"].to_numpy()
    out["UF17" if layout == "mics6" else "UF9"] = _result(completed, rng)
    out["UB2"] = kids["HL6"].to_numpy()
    out["HL4"] = kids["HL4"].to_numpy()
    out["melevel"] = kids["melevel"].to_numpy()
    registered = rng.random(len(kids)) < _sigmoid(_logit(0.985) - risk)
    seen = rng.random(len(kids)) < 0.8
    br1 = np.where(registered, np.where(seen, 1.0, 2.0), 3.0)
    br1 = np.where(rng.random(len(kids)) < 0.01, 8.0, br1)
    br2 = np.where(br1 >= 3, _answers(rng, 0.3, np.zeros(len(kids)), dk=0.1), np.nan)
    out["BR1"] = np.where(completed, br1, np.nan)
    out["BR2"] = np.where(completed, br2, np.nan)
    if layout == "mics6":
        asked = completed & (out["UB2"].to_numpy() >= 1)
        for name, values in _discipline(rng, risk, asked, "UCD2").items():
            out[name] = values
    out["chweight"] = w
    return out


def _selected_children(rng: np.random.Generator, members: pd.DataFrame) -> pd.DataFrame:
    kids = members[members["role"] == "child"]
    eligible = kids.groupby("row")["row"].transform("size").to_numpy()
    chosen = kids.assign(k=eligible).sample(frac=1.0, random_state=rng)
    chosen = chosen.drop_duplicates("row").sort_values("row")
    completed, w = _respondents(rng, chosen, 0.95, selection=chosen["k"].to_numpy())
    n = len(chosen)
    age = chosen["HL6"].to_numpy()
    risk = chosen["risk"].to_numpy()
    out = _design(chosen, "mics6")
    out["LN"] = chosen["HL1"].to_numpy()
    out["FS17"] = _result(completed, rng)
    out["CB3"] = age
    out["HL4"] = chosen["HL4"].to_numpy()
    out["melevel"] = chosen["melevel"].to_numpy()
    for name, values in _discipline(rng, risk, completed & (age <= 14), "FCD2").items():
        out[name] = values
    work = risk + 0.1 * (age - 11) + rng.normal(0, 0.6, n)
    for item, p in (("CL1A", 0.03), ("CL1B", 0.02), ("CL1C", 0.01), ("CL1X", 0.01)):
        out[item] = np.where(completed, _answers(rng, p, work), np.nan)
    economic = (out[["CL1A", "CL1B", "CL1C", "CL1X"]] == 1).any(axis=1).to_numpy()
    out["CL3"] = _hours(rng, economic, 1.0 + 0.25 * np.clip(age - 5, 0, None), 12)
    for item in ("CL4", "CL5", "CL6A", "CL6B", "CL6C", "CL6D", "CL6E", "CL6X"):
        out[item] = np.where(economic, _answers(rng, 0.15, risk), np.nan)
    for ask, hours, p in (("CL7", "CL8", 0.3), ("CL9", "CL10", 0.05), ("CL12", "CL13", 0.6)):
        out[ask] = np.where(completed, _answers(rng, p, risk), np.nan)
        out[hours] = _hours(rng, (out[ask] == 1).to_numpy(), 3.0, 10)
    out["fsweight"] = w
    return out


def _hours(rng: np.random.Generator, asked: np.ndarray, shape: np.ndarray | float, scale: float):
    """Weekly hours when asked, with a few 98 (DK) codes."""
    hours = np.minimum(np.round(rng.gamma(shape, scale / 3, len(asked))), 96.0)
    hours = np.where(rng.random(len(asked)) < 0.03, 98.0, hours)
    return np.where(asked, hours, np.nan)


def _adults(
    rng: np.random.Generator, members: pd.DataFrame, file: str, layout: Layout
) -> pd.DataFrame:
    people = members[members["role"] == ("woman" if file == "wm" else "man")]
    completed, w = _respondents(rng, people, 0.95 if file == "wm" else 0.9)
    age = people["HL6"].to_numpy()
    risk = people["risk"].to_numpy()
    n = len(people)
    out = _design(people, layout)
    out["LN"] = people["HL1"].to_numpy()
    prefix = "" if file == "wm" else "M"
    mics6 = layout == "mics6"
    out[f"{prefix}WM17" if mics6 else f"{prefix}WM7"] = _result(completed, rng)
    out[f"{prefix}WB4" if mics6 else f"{prefix}WB2"] = age
    education = rng.choice([1.0, 2.0, 3.0, 4.0], n, p=[0.1, 0.3, 0.35, 0.25])
    out["welevel" if file == "wm" else "mwelevel"] = np.where(completed, education, np.nan)
    for x, p in zip("ABCDE", (0.05, 0.04, 0.03, 0.02, 0.06), strict=True):
        out[f"{prefix}DV1{x}"] = np.where(
            completed, _answers(rng, p, risk - 0.3 * education), np.nan
        )
    if file == "wm":
        # Age at first union: most women marry in their twenties; some early marriage.
        union_age = np.round(rng.normal(23, 3.5, n) - 1.5 * risk)
        union_age = np.clip(union_age, 12, None)
        ever = union_age <= age
        out["WAGEM"] = np.where(completed & ever, union_age, np.nan)
        status = np.where(ever, rng.choice([1.0, 2.0, 3.0], n, p=[0.8, 0.1, 0.1]), 3.0)
        out["MA1"] = np.where(completed, status, np.nan)
    out[f"{'wm' if file == 'wm' else 'mn'}weight"] = w
    return out
