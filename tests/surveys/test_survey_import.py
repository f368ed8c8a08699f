import hashlib
import math

import pytest

from qorgau.mics import compute_tables, load_survey
from qorgau.places.models import Place
from qorgau.surveys.models import Survey
from qorgau.surveys.services import RegionMatcher, SurveyImportError, survey_import

pytestmark = pytest.mark.django_db


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_import_copies_the_files_under_var_dir_and_records_their_checksums(
    imported, mics_dir, var_dir
):
    assert imported.path == var_dir / "surveys" / "mics-test"
    stored = {f.name: f for f in imported.files.all()}
    assert set(stored) == {"hh", "hl", "wm", "mn", "ch", "fs"}
    for name, file in stored.items():
        source = mics_dir / f"{name}.sav"
        assert file.sha256 == _sha256(source)
        assert _sha256(imported.path / f"{name}.sav") == file.sha256
        assert file.rows > 0 and file.variables > 0
    assert imported.layout == "mics6"
    assert not [p for p in (var_dir / "surveys").iterdir() if p.name.startswith(".")]


def test_import_stores_the_estimates_compute_tables_gives(imported, mics_dir):
    expected = compute_tables(load_survey(mics_dir))
    stored = list(imported.estimates.order_by("position"))
    assert len(stored) == len(expected)
    for row, estimate in zip(expected.itertuples(index=False), stored, strict=True):
        assert (estimate.indicator, estimate.disaggregation, estimate.category) == (
            row.indicator,
            row.disaggregation,
            row.category,
        )
        for column in ("estimate", "se", "ci_low", "ci_high", "deff"):
            value, stored_value = getattr(row, column), getattr(estimate, column)
            if math.isnan(value):
                assert stored_value is None
            else:
                assert stored_value == pytest.approx(value, rel=1e-12)
        assert estimate.n_unweighted == row.n_unweighted
        assert estimate.n_weighted == pytest.approx(row.n_weighted)
        assert estimate.flag == row.flag


def test_every_region_row_is_matched_to_its_kato_region(imported):
    rows = imported.estimates.filter(indicator="PR.2", disaggregation="region")
    assert rows.count() == 20
    assert not rows.filter(region_code="").exists()
    pavlodar = rows.get(category="Pavlodar Region")
    assert pavlodar.region_code == "55"
    assert rows.get(category="Almaty").region_code == "75"
    assert rows.get(category="Almaty Region").region_code == "19"


def test_import_problems_are_stored_with_their_handling(imported, mics_dir):
    expected = [p.as_dict() for p in load_survey(mics_dir).problems]
    assert imported.problems == expected
    assert expected, "the synthetic data always has something to report"
    for problem in imported.problems:
        assert {"code", "severity", "file", "variable", "count", "handling"} <= problem.keys()
        assert problem["handling"]


def test_a_second_import_under_the_same_name_is_refused(imported, mics_dir):
    with pytest.raises(SurveyImportError, match=r"already exists.*--replace"):
        survey_import(actor=None, path=mics_dir, name="mics-test")
    assert Survey.objects.count() == 1


def test_replace_imports_again_under_the_same_name(imported, mics_dir):
    result = survey_import(actor=None, path=mics_dir, name="mics-test", replace=True)
    assert result.replaced
    assert Survey.objects.get().pk == result.survey.pk != imported.pk
    assert result.survey.estimates.count() == len(compute_tables(load_survey(mics_dir)))
    assert (result.survey.path / "hh.sav").exists()


def test_identical_files_under_another_name_are_recognised(imported, mics_dir):
    result = survey_import(actor=None, path=mics_dir, name="mics-copy")
    assert result.same_files_as == ["mics-test"]


def test_different_files_are_not_reported_as_identical(imported, tmp_path):
    from qorgau.mics import generate_synthetic

    other = generate_synthetic(tmp_path / "other", 300, seed=5)
    assert survey_import(actor=None, path=other, name="mics-other").same_files_as == []


def test_the_importer_is_recorded(imported, mics_dir, national_analyst):
    result = survey_import(actor=national_analyst, path=mics_dir, name="mics-by-analyst")
    assert result.survey.imported_by == national_analyst


@pytest.mark.parametrize("name", ["MICS 2024", "../escape", "", "-leading"])
def test_names_that_are_not_slugs_are_refused(mics_dir, name):
    with pytest.raises(SurveyImportError, match="not valid"):
        survey_import(actor=None, path=mics_dir, name=name)


def test_a_folder_without_mics_files_is_refused(tmp_path, var_dir):
    (tmp_path / "empty").mkdir()
    with pytest.raises(SurveyImportError, match="No MICS files"):
        survey_import(actor=None, path=tmp_path / "empty", name="empty")
    assert not Survey.objects.exists()
    assert not (var_dir / "surveys" / "empty").exists()


def test_region_labels_match_by_name_in_any_language_or_code():
    matcher = RegionMatcher(Place.objects.filter(parent__isnull=True))
    assert matcher.code("Pavlodar Region") == "55"
    assert matcher.code("  павлодарская  ОБЛАСТЬ ") == "55"
    assert matcher.code("Павлодар облысы") == "55"
    assert matcher.code("Pavlodar") == "55"  # without "Region", unambiguous
    assert matcher.code("55") == "55"
    assert matcher.code("Almaty") == "75"  # the city, never Almaty Region
    assert matcher.code("Almaty Region") == "19"
    assert matcher.code("Atlantis") == ""
