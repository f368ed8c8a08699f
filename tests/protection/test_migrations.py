"""The migrations convert rows written before encryption, and convert them back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from qorgau.cases.models import Report
from qorgau.children.models import Child

from .conftest import IIN, NARRATIVE, fill, raw_value, raw_values

BEFORE = [
    ("children", "0001_initial"),
    ("cases", "0002_risk_assessment_questions"),
    ("audit", "0002_field_history"),
]


def _migrate(targets: list[tuple[str, str]] | None = None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_plaintext_is_encrypted_and_hashed_by_the_migrations(personas):
    filled = fill(personas)
    history = Child.history.model  # type: ignore[attr-defined]
    try:
        _migrate(BEFORE)
        assert raw_value(Child, "iin", filled.child.pk) == IIN
        assert raw_value(Report, "narrative", filled.report.pk) == NARRATIVE
        assert IIN in raw_values(history, "iin")
    finally:
        _migrate()
    assert IIN not in raw_value(Child, "iin", filled.child.pk)
    assert raw_value(Child, "iin_hash", filled.child.pk)
    assert raw_value(Report, "narrative", filled.report.pk).startswith("gAAAAA")
    assert IIN not in raw_values(history, "iin")
    assert Child.objects.get(iin_hash__isnull=False).iin == IIN
    assert Report.objects.get(pk=filled.report.pk).narrative == NARRATIVE
