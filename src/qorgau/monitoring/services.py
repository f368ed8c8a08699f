"""Writes: importing official statistics (population, offences) in one transaction."""

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from qorgau.accounts.models import User
from qorgau.monitoring.models import OffenceCount, PopulationCount, StatsCellChange, StatsImport
from qorgau.monitoring.tables import SPECS, Key, Problem, read_table

MODELS: dict[str, type[PopulationCount] | type[OffenceCount]] = {
    StatsImport.Kind.POPULATION: PopulationCount,
    StatsImport.Kind.OFFENCES: OffenceCount,
}


@dataclass
class ImportOutcome:
    rows: int
    problems: list[Problem]
    added: list[Key] = field(default_factory=list)
    changed: list[tuple[Key, int, int]] = field(default_factory=list)  # key, old, new
    unchanged: int = 0
    stored: StatsImport | None = None  # None: dry run, refused, or nothing to change

    @property
    def refused(self) -> bool:
        return bool(self.problems) and not self.added and not self.changed and not self.stored


def _key_text(key: Key) -> str:
    return ",".join(map(str, key))


def stats_import(
    *,
    actor: User | None,
    kind: str,
    file_name: str,
    content: bytes,
    good_rows: bool = False,
    dry_run: bool = False,
) -> ImportOutcome:
    """Import a population or offences table.

    All or nothing (the default): any bad row and nothing is stored. Good rows: the bad
    rows are reported and left out. The same file again changes nothing; a corrected
    file replaces the cells that differ and keeps their old values in history.
    """
    spec = SPECS[StatsImport.Kind(kind)]
    model: Any = MODELS[kind]  # either model: the same shape, named by the spec
    table = read_table(kind, file_name, content)
    outcome = ImportOutcome(rows=table.rows, problems=table.problems)
    if table.problems and not good_rows:
        return outcome
    years = {key[0] for key in table.cells}
    existing = {
        tuple(getattr(row, c) for c in spec.key): row
        for row in model.objects.filter(year__in=years)
    }
    for key, value in table.cells.items():
        old = existing.get(key)
        if old is None:
            outcome.added.append(key)
        elif getattr(old, spec.value) != value:
            outcome.changed.append((key, getattr(old, spec.value), value))
        else:
            outcome.unchanged += 1
    if dry_run or not (outcome.added or outcome.changed):
        return outcome
    with transaction.atomic():
        record = StatsImport.objects.create(
            kind=kind,
            file_name=file_name[:255],
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            mode=StatsImport.Mode.GOOD_ROWS if good_rows else StatsImport.Mode.ALL_OR_NOTHING,
            imported_by=actor,
            rows_read=table.rows,
            rows_added=len(outcome.added),
            rows_changed=len(outcome.changed),
            rows_rejected=len({p.row for p in table.problems}),
            problems=[p.as_dict() for p in table.problems],
        )
        model.objects.bulk_create(
            model(
                **dict(zip(spec.key, key, strict=True)),
                **{spec.value: table.cells[key]},
                source=record,
            )
            for key in outcome.added
        )
        changed_rows = []
        for key, _old, new in outcome.changed:
            row = existing[key]
            setattr(row, spec.value, new)
            row.source = record
            changed_rows.append(row)
        model.objects.bulk_update(changed_rows, [spec.value, "source"])
        StatsCellChange.objects.bulk_create(
            StatsCellChange(source=record, key=_key_text(key), old_value=old, new_value=new)
            for key, old, new in outcome.changed
        )
    outcome.stored = record
    return outcome
