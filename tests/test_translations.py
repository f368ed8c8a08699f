"""Every Kazakh and Russian catalogue entry is translated, not fuzzy, and keeps
the placeholders of its source string.

A small PO parser (stdlib only) keeps this fast and dependency-free.
"""

import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[1] / "src" / "qorgau" / "locale"
LANGUAGES = ["kk", "ru"]
NPLURALS = {"kk": 2, "ru": 3}

# %(name)s / %s / %d style placeholders, escaped %%, and HTML entities such as &lt;
PLACEHOLDER = re.compile(r"%\([^)]+\)[#0 +-]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|%%|&[a-zA-Z]+;|&#\d+;")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(token: str) -> str:
    token = token.strip()
    assert token.startswith('"') and token.endswith('"'), token
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), token[1:-1])


def parse_po(path: Path) -> list[dict]:
    """Return the entries of a PO file, header included, obsolete (#~) excluded.

    Entries are split at a comment or msgctxt/msgid line that follows a msgstr,
    so a missing blank line between entries does not merge them.
    """
    entries: list[dict] = []
    entry: dict | None = None
    field = None
    after_msgstr = False

    def start() -> dict:
        new = {"flags": set(), "fields": {}}
        entries.append(new)
        return new

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#~"):
            if not line.strip():
                entry, field, after_msgstr = None, None, False
            continue
        if line.startswith("#"):
            if entry is None or after_msgstr:
                entry, after_msgstr = start(), False
            if line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(","))
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line)
        if match:
            key = match.group(1)
            if entry is None or (after_msgstr and key in ("msgctxt", "msgid")):
                entry, after_msgstr = start(), False
            if key.startswith("msgstr"):
                after_msgstr = True
            field = key
            entry["fields"][field] = _unquote(match.group(2))
        elif line.startswith('"') and entry is not None and field is not None:
            entry["fields"][field] += _unquote(line)
        else:
            raise AssertionError(f"{path}: cannot parse line {line!r}")
    return entries


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _catalogue(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module", params=LANGUAGES)
def catalogue(request):
    path = _catalogue(request.param)
    return request.param, parse_po(path)


def _messages(entries):
    return [e for e in entries if e["fields"].get("msgid", "") != "" or "msgctxt" in e["fields"]]


def test_header_declares_language_charset_and_plural_forms(catalogue):
    language, entries = catalogue
    headers = [
        e for e in entries if e["fields"].get("msgid") == "" and "msgctxt" not in e["fields"]
    ]
    assert len(headers) == 1, "exactly one header entry"
    header = headers[0]
    assert "fuzzy" not in header["flags"], "a fuzzy header is ignored by msgfmt"
    text = header["fields"]["msgstr"]
    assert f"Language: {language}\n" in text
    assert "charset=UTF-8" in text
    nplurals = re.search(r"Plural-Forms:\s*nplurals=(\d+);", text)
    assert nplurals and int(nplurals.group(1)) == NPLURALS[language]


def test_every_message_is_translated_and_not_fuzzy(catalogue):
    language, entries = catalogue
    messages = _messages(entries)
    assert len(messages) > 400, "catalogue looks truncated"
    problems = []
    for e in messages:
        fields = e["fields"]
        msgid = fields["msgid"]
        if "fuzzy" in e["flags"]:
            problems.append(f"fuzzy: {msgid!r}")
        if "msgid_plural" in fields:
            forms = [fields.get(f"msgstr[{i}]", "") for i in range(NPLURALS[language])]
            if not all(forms):
                problems.append(f"missing plural form: {msgid!r}")
            extra = [
                k for k in fields if k.startswith("msgstr[") and int(k[7:-1]) >= NPLURALS[language]
            ]
            if extra:
                problems.append(f"too many plural forms: {msgid!r}")
        elif not fields.get("msgstr"):
            problems.append(f"untranslated: {msgid!r}")
    assert not problems, f"{language}: " + "; ".join(problems)


def test_placeholders_match_the_source(catalogue):
    language, entries = catalogue
    problems = []
    for e in _messages(entries):
        fields = e["fields"]
        if "msgid_plural" in fields:
            # Every form is used for several numbers (ru form 0 covers 1, 21, 31...),
            # so each must carry the placeholders of both source forms.
            expected = sorted(
                set(placeholders(fields["msgid"])) | set(placeholders(fields["msgid_plural"]))
            )
            for key, text in fields.items():
                if (
                    key.startswith("msgstr[")
                    and text
                    and sorted(set(placeholders(text))) != expected
                ):
                    problems.append(
                        f"{key} {fields['msgid']!r}: {placeholders(text)} vs {expected}"
                    )
        else:
            expected = placeholders(fields["msgid"])
            got = placeholders(fields.get("msgstr", ""))
            if fields.get("msgstr") and got != expected:
                problems.append(f"msgstr {fields['msgid']!r}: {got} vs {expected}")
    assert not problems, f"{language}: " + "; ".join(problems)
