import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from qorgau.cases.models import Report
from qorgau.children.models import Child
from qorgau.protection.columns import replace_values
from qorgau.protection.rotation import rotate

from .conftest import IIN, NARRATIVE, Filled, fill, raw_value

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("encryption", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def written_with_key_a(settings, personas) -> Filled:
    settings.QORGAU_DATA_KEYS = [KEY_A]
    return fill(personas)


def test_a_new_key_in_front_reads_old_values_then_rotation_retires_the_old_key(
    written_with_key_a, settings
):
    filled = written_with_key_a
    under_a = raw_value(Report, "narrative", filled.report.pk)

    settings.QORGAU_DATA_KEYS = [KEY_B, KEY_A]
    assert Report.objects.get(pk=filled.report.pk).narrative == NARRATIVE
    with pytest.raises(CommandError, match="under older keys"):
        _run("rotate", "--check")
    older = sum(c.older for c in rotate(write=False))
    assert older >= len(filled.plaintext())  # history rows too

    report = _run("rotate", "--batch-size", "2")
    assert f"{older} re-encrypted" in report
    assert raw_value(Report, "narrative", filled.report.pk) != under_a
    assert "0 under older keys" in _run("rotate", "--check")
    assert "0 re-encrypted" in _run("rotate")  # idempotent

    settings.QORGAU_DATA_KEYS = [KEY_B]
    assert Report.objects.get(pk=filled.report.pk).narrative == NARRATIVE
    assert Child.objects.get(pk=filled.child.pk).iin == IIN
    assert Child.history.filter(id=filled.child.pk).first().iin == IIN  # type: ignore[attr-defined]


def test_removing_the_old_key_too_early_is_reported_not_hidden(written_with_key_a, settings):
    settings.QORGAU_DATA_KEYS = [KEY_B]
    with pytest.raises(CommandError, match="no configured key"):
        _run("rotate", "--check")
    with pytest.raises(ValueError, match="cannot be decrypted"):
        Report.objects.get(pk=written_with_key_a.report.pk)


def test_rotation_does_not_overwrite_a_value_saved_meanwhile(written_with_key_a, settings):
    pk = written_with_key_a.report.pk
    stale = raw_value(Report, "narrative", pk)
    Report.objects.filter(pk=pk).update(narrative="Synthetic: edited meanwhile.")
    assert replace_values(connection, Report, "narrative", [(pk, stale, "x")]) == 0
    assert Report.objects.get(pk=pk).narrative == "Synthetic: edited meanwhile."


def test_generate_key_prints_a_usable_key():
    Fernet(_run("generate-key").strip().encode())
