"""The Kazakh, Russian and English catalogues are valid, match the source and are complete.

msgfmt checks the syntax and the format strings; polib reads the entries; Django's
makemessages, run on a copy of the source, says which messages the code and
templates use. English is the source language: its msgstr may stay empty.
"""

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

SOURCE = Path(__file__).resolve().parents[1] / "src" / "qorgau"
LOCALE = SOURCE / "locale"
NPLURALS = {"kk": 2, "ru": 3, "en": 2}
LANGUAGES = sorted(NPLURALS)
TRANSLATED = {"kk", "ru"}  # en msgstr may be empty: gettext then shows the msgid

# %(name)s / %s / %d style placeholders, escaped %%, and HTML entities such as &lt;
PLACEHOLDER = re.compile(r"%\([^)]+\)[#0 +-]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|%%|&[a-zA-Z]+;|&#\d+;")

Key = tuple[str | None, str]


def _path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def _key(entry: polib.POEntry) -> Key:
    return entry.msgctxt, entry.msgid


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module", params=LANGUAGES)
def catalogue(request) -> tuple[str, polib.POFile]:
    return request.param, polib.pofile(str(_path(request.param)))


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory) -> dict[Key, polib.POEntry]:
    """What `make messages` would extract, written into a throwaway copy of the source."""
    copy = tmp_path_factory.mktemp("messages") / "qorgau"
    shutil.copytree(
        SOURCE, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "static", "*.mo")
    )
    (copy / "locale").mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(copy)
        # Only the copy's own locale folder: never the real catalogues.
        patch.setattr("django.conf.settings.LOCALE_PATHS", [])
        call_command("makemessages", locale=["en"], ignore_patterns=["mics/tests"], verbosity=0)
    extracted = polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    messages = {_key(e): e for e in extracted if e.msgid}
    assert len(messages) > 400, "makemessages found too few messages: is the copy complete?"
    return messages


@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_accepts_the_catalogue_and_its_format_strings(language):
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        ["msgfmt", "--check", "-o", "/dev/null", str(_path(language))],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_header_declares_language_charset_and_plural_forms(catalogue):
    language, po = catalogue
    assert po.metadata.get("Language") == language
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")
    nplurals = re.match(r"\s*nplurals=(\d+);", po.metadata.get("Plural-Forms", ""))
    assert nplurals and int(nplurals.group(1)) == NPLURALS[language]
    assert not po.metadata_is_fuzzy, "a fuzzy header is ignored by msgfmt"


def test_every_message_of_the_source_is_in_the_catalogue(catalogue, source_messages):
    language, po = catalogue
    present = {_key(e) for e in po if not e.obsolete}
    missing = sorted(source_messages.keys() - present, key=str)
    assert not missing, f"{language}: not in the catalogue: {missing}"


def test_the_catalogue_has_no_message_the_source_no_longer_uses(catalogue, source_messages):
    language, po = catalogue
    stale = sorted((_key(e) for e in po if not e.obsolete) - source_messages.keys(), key=str)
    assert not stale, f"{language}: no longer in the source: {stale}"


def test_plural_messages_are_plural_in_the_catalogue(catalogue, source_messages):
    language, po = catalogue
    mismatched = [
        e.msgid
        for e in po
        if _key(e) in source_messages and e.msgid_plural != source_messages[_key(e)].msgid_plural
    ]
    assert not mismatched, f"{language}: plural forms differ from the source: {mismatched}"


def test_no_message_is_fuzzy(catalogue):
    language, po = catalogue
    assert not [e.msgid for e in po.fuzzy_entries()], f"{language}: fuzzy entries"


@pytest.mark.parametrize("language", sorted(TRANSLATED))
def test_every_message_is_translated_in_every_plural_form(language):
    po = polib.pofile(str(_path(language)))
    assert len(po) > 400, "catalogue looks truncated"
    problems = []
    for e in po:
        if e.obsolete:
            continue
        if e.msgid_plural:
            forms = e.msgstr_plural
            if sorted(forms) != list(range(NPLURALS[language])) or not all(forms.values()):
                problems.append(f"plural forms {sorted(forms)} or empty: {e.msgid!r}")
        elif not e.msgstr:
            problems.append(f"untranslated: {e.msgid!r}")
    assert not problems, f"{language}: " + "; ".join(problems)


def test_placeholders_match_the_source(catalogue):
    language, po = catalogue
    problems = []
    for e in po:
        if e.obsolete:
            continue
        if e.msgid_plural:
            # Every form is used for several numbers (ru form 0 covers 1, 21, 31...),
            # so each must carry the placeholders of both source forms.
            expected = sorted(set(placeholders(e.msgid)) | set(placeholders(e.msgid_plural)))
            for index, text in e.msgstr_plural.items():
                if text and sorted(set(placeholders(text))) != expected:
                    problems.append(f"msgstr[{index}] {e.msgid!r}: {placeholders(text)}")
        elif e.msgstr and placeholders(e.msgstr) != placeholders(e.msgid):
            problems.append(f"msgstr {e.msgid!r}: {placeholders(e.msgstr)}")
    assert not problems, f"{language}: " + "; ".join(problems)
