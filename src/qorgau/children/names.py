"""Folding names for search, tolerant of case, Kazakh letters and Cyrillic/Latin spelling.

"Нұрсұлтан", "Нурсултан", "Nursultan" and "NURSULTAN" fold to one key, and so do
"Мария", "Maria", "Mariya" and "Mariia". The key is
phonetic-ish Cyrillic without the letters that spelling varies on (soft/hard signs,
doubled letters), so both Kazakh-Latin (2021 alphabet) and passport Latin meet it.
"""

import re
import unicodedata

# Kazakh-specific Cyrillic letters to their nearest Russian ones, and Russian letters
# that spellings swap freely.
_CYRILLIC_FOLD = str.maketrans(
    {
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
        "ё": "е",
        "й": "и",
        "ы": "и",
        "э": "е",
        "ъ": None,
        "ь": None,
    }
)

# Latin (passport transliteration and the 2021 Kazakh Latin alphabet) to Cyrillic.
# Digraphs first: they must win over their single letters.
_LATIN_DIGRAPHS = [
    ("shch", "щ"),
    ("sch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("ts", "ц"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "е"),
    ("ye", "е"),
    ("ia", "я"),
    ("iu", "ю"),
]
_LATIN_SINGLE = str.maketrans(
    {
        "a": "а",
        "b": "б",
        "c": "ц",
        "d": "д",
        "e": "е",
        "f": "ф",
        "g": "г",
        "h": "х",
        "i": "и",
        "j": "ж",
        "k": "к",
        "l": "л",
        "m": "м",
        "n": "н",
        "o": "о",
        "p": "п",
        "q": "к",
        "r": "р",
        "s": "с",
        "t": "т",
        "u": "у",
        "v": "в",
        "w": "у",
        "x": "кс",
        "y": "и",
        "z": "з",
        "ä": "а",
        "ö": "о",
        "ü": "у",
        "ū": "у",
        "ı": "и",
        "ş": "ш",
        "ç": "ч",
        "ğ": "г",
        "ñ": "н",
    }
)
_DOUBLED = re.compile(r"(.)\1+")
_NOT_LETTER = re.compile(r"[^а-яa-z ]+")


def fold_name(text: str) -> str:
    """The search key of a name: lower-case Cyrillic, no spelling variants."""
    s = unicodedata.normalize("NFC", text.strip().lower())
    for latin, cyrillic in _LATIN_DIGRAPHS:
        s = s.replace(latin, cyrillic)
    s = s.translate(_LATIN_SINGLE).translate(_CYRILLIC_FOLD)
    # Я and Ю are spelled "ia", "ya", "iia", "iya" in passports: all become и + vowel,
    # then doubled letters collapse, so Мария, Maria, Mariya and Mariia meet.
    s = s.replace("я", "иа").replace("ю", "иу")
    s = _NOT_LETTER.sub(" ", s)
    s = _DOUBLED.sub(r"\1", s)
    return " ".join(s.split())
