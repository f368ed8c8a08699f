from io import StringIO

from django.core.management import call_command

from qorgau.children.models import Child
from qorgau.retention.models import RetentionRun
from qorgau.retention.services import PLACEHOLDER


def _run(*args: str) -> str:
    out = StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


def test_the_dry_run_prints_counts_and_ids_and_changes_nothing(old_case, after_retention):
    child = old_case.children.get()
    out = _run("--dry-run", "--today", after_retention.isoformat())
    assert f"cases: 1  ids: {old_case.pk}" in out
    assert f"children: 1  ids: {child.pk}" in out
    assert not RetentionRun.objects.exists()
    assert Child.objects.get(pk=child.pk).first_name == "Aigerim"


def test_apply_anonymises_as_a_system_user(old_case, after_retention):
    out = _run("--apply", "--today", after_retention.isoformat())
    assert "cases 1" in out and "children 1" in out
    run = RetentionRun.objects.get()
    assert run.actor.username == "qorgau-retention" and not run.actor.is_active
    assert old_case.children.get().first_name == PLACEHOLDER
    assert "cases: 0" in _run("--dry-run", "--today", after_retention.isoformat())
