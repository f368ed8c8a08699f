"""What a file is, read from its content (libmagic), and a safe name for it.

The type the browser sends and the name's extension are the uploader's word; the bytes
are not. Only the types a case file holds are taken: documents and photos.
"""

import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

import magic

# The content type libmagic reports -> the extension the stored name gets.
ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/tiff": "tif",
    "image/heic": "heic",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "text/plain": "txt",
}
# libmagic reads the type from the file's beginning; Office files need their central
# directory, which is within the first few tens of kilobytes.
_SNIFF_BYTES = 256 * 1024
NAME_MAX = 120


def content_type_of(data: bytes) -> str:
    return str(magic.from_buffer(data[:_SNIFF_BYTES], mime=True))


def safe_name(uploaded: str, content_type: str) -> str:
    """The uploaded name without folders, control characters or odd punctuation, and
    with the extension of the type the content really is ("report.pdf.exe" of a PDF is
    stored as "report.pdf.pdf", never as an .exe). Letters of any script stay."""
    base = PureWindowsPath(PurePosixPath(uploaded).name).name
    base = "".join(
        c for c in unicodedata.normalize("NFC", base) if unicodedata.category(c)[0] != "C"
    )
    stem = base.rsplit(".", 1)[0] if "." in base else base
    # As django.utils.text.get_valid_filename, which raises on a name left empty.
    stem = re.sub(r"(?u)[^-\w.]", "", re.sub(r"\s+", "_", stem.strip()))
    extension = ALLOWED_TYPES[content_type]
    stem = stem.strip("._")[: NAME_MAX - len(extension) - 1] or "file"
    return f"{stem}.{extension}"
