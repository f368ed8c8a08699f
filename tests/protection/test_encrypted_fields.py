import pytest
from django.core.exceptions import FieldError

from qorgau.audit.models import HISTORY_EXCLUDED  # noqa: F401  (registers the history)
from qorgau.cases.models import Assessment, Case, Report
from qorgau.children.models import Child
from qorgau.protection.fields import EncryptedTextField
from qorgau.protection.keys import decrypt
from qorgau.protection.rotation import encrypted_columns

from .conftest import IIN, NARRATIVE, raw_value, raw_values

EXPECTED = {
    "children_child.iin",
    "children_child.disability_note",
    "children_child.description",
    "children_familymember.phone",
    "cases_report.narrative",
    "cases_report.reporter_name",
    "cases_report.reporter_contact",
    "cases_assessment.answers",
    "cases_assessment.reasoning",
    "cases_assessment.override_reason",
    "cases_assessment.signoff_note",
    "cases_visit.findings",
    "cases_case.closure_note",
    "cases_caseplan.summary",
}


def test_every_listed_column_is_encrypted_and_its_history_too():
    columns = {f"{m._meta.db_table}.{f.column}" for m, f in encrypted_columns()}
    assert columns >= EXPECTED
    history = {c for c in columns if c.startswith("audit_historical")}
    assert history == {"audit_historical" + c.split("_", 1)[1] for c in EXPECTED}, (
        "each encrypted field is encrypted in its field history as well"
    )


def test_the_database_holds_no_plaintext_of_any_encrypted_field(filled):
    for (model, field), (pk, plain) in filled.plaintext().items():
        stored = raw_value(model, field, pk)
        assert stored, (model, field)
        assert plain not in stored, f"{model.__name__}.{field} is stored in plaintext"
        assert stored.startswith("gAAAAA"), f"{model.__name__}.{field} is not a Fernet token"
        if field != "answers":
            assert decrypt(stored) == plain


def test_the_orm_reads_plaintext(filled):
    for (model, field), (pk, plain) in filled.plaintext().items():
        value = getattr(model.objects.get(pk=pk), field)
        if field == "answers":
            assert set(value.values()) == {"no"} and value
        else:
            assert value == plain
    assert Report.objects.values_list("narrative", flat=True).get(pk=filled.report.pk) == NARRATIVE


def test_the_field_history_holds_no_plaintext(filled):
    """simple-history copies the field classes: its rows are encrypted as well."""
    for (model, field), (_, plain) in filled.plaintext().items():
        history = model.history.model  # type: ignore[attr-defined]
        stored = [v for v in raw_values(history, field) if v]
        assert stored, f"no history of {model.__name__}.{field}"
        for value in stored:
            assert plain not in value, f"history of {model.__name__}.{field} is plaintext"
            assert value.startswith("gAAAAA")
    versions = Child.history.filter(id=filled.child.pk)  # type: ignore[attr-defined]
    assert versions.first().iin == IIN  # and readable through the ORM


def test_the_same_text_is_stored_differently_each_time(filled):
    other = Report.objects.get(pk=filled.report.pk)
    other.pk = None
    other.save()
    assert raw_value(Report, "narrative", other.pk) != raw_value(
        Report, "narrative", filled.report.pk
    )


def test_an_encrypted_field_cannot_be_searched_by_value(filled):
    with pytest.raises(FieldError, match="encrypted"):
        list(Report.objects.filter(narrative=NARRATIVE))
    with pytest.raises(FieldError, match="encrypted"):
        list(Child.objects.filter(iin=IIN))


def test_empty_and_missing_values_stay_empty_and_can_be_asked_for(filled, personas):
    case = Case.objects.get(pk=filled.case.pk)
    Case.objects.filter(pk=case.pk).update(closure_note="")
    assert raw_value(Case, "closure_note", case.pk) == ""
    assert Case.objects.filter(closure_note="").filter(pk=case.pk).exists()
    assert Child.objects.filter(iin__isnull=True).count() == Child.objects.count() - 1


def test_bulk_update_and_queryset_update_encrypt(filled):
    report = Report.objects.get(pk=filled.report.pk)
    report.narrative = "Synthetic: changed by bulk_update."
    Report.objects.bulk_update([report], ["narrative"])
    assert "changed" not in raw_value(Report, "narrative", report.pk)
    Assessment.objects.filter(pk=filled.assessment.pk).update(answers={"injury": "yes"})
    assert "injury" not in raw_value(Assessment, "answers", filled.assessment.pk)
    assert Assessment.objects.get(pk=filled.assessment.pk).answers == {"injury": "yes"}


def test_an_encrypted_field_refuses_to_be_unique():
    with pytest.raises(ValueError, match="unique"):
        EncryptedTextField(unique=True)
