"""Nothing personal in logs and error reports.

`MaskPersonalData` is a logging filter on every handler (settings.LOGGING): it masks
IIN-shaped numbers (12 digits) in the message, its arguments and the traceback, and
the values of fields known to be personal. `PersonalDataReporterFilter` is Django's
exception reporter filter: it cleanses the same fields from POST data and from the
variables of every traceback frame, in DEBUG too (a developer needs the traceback,
not the child's story). Imported by the logging configuration: no models here.
"""

import logging
import re
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, QueryDict
from django.utils.functional import LazyObject
from django.views.debug import SafeExceptionReporterFilter

MASK = "[masked]"
IIN_MASK = "[IIN]"
IIN_SHAPED = re.compile(r"(?<!\d)\d{12}(?!\d)")
# Names of fields, form inputs, arguments and variables that hold personal data.
SENSITIVE_NAMES = frozenset(
    {
        "narrative",
        "reporter_name",
        "reporter_contact",
        "iin",
        "findings",
        "reasoning",
        "answers",
        "_answers",
        "disability_note",
        "phone",
        "closure_note",
        "note",
        "summary",
        "description",
        "children",  # a report's children as described
        "address",
        "incident_address",
        "password",
        "password1",
        "password2",
        "old_password",
        "new_password1",
        "new_password2",
        "token",
        "otp_token",
    }
)
_SENSITIVE_PATTERN = re.compile(r"pass|token|secret|iin|narrative", re.IGNORECASE)


def is_sensitive(name: object) -> bool:
    if not isinstance(name, str):
        return False
    bare = name.rsplit("-", 1)[-1]  # form prefixes: "in-note"
    return bare.lower() in SENSITIVE_NAMES or bool(_SENSITIVE_PATTERN.search(bare))


def mask_text(text: str) -> str:
    return IIN_SHAPED.sub(IIN_MASK, text)


def _is_text(value: object) -> bool:
    # A lazy object poses as its wrapped class: leave it unevaluated.
    return isinstance(value, str) and not isinstance(value, LazyObject)


def mask_value(value: Any, name: object = None, *, substitute: Any = MASK) -> Any:
    """`value` with personal data masked: by its name, inside containers, IIN-shaped text."""
    if is_sensitive(name) and value not in (None, ""):
        return substitute
    if _is_text(value):
        return mask_text(value)
    if isinstance(value, Mapping):
        return {k: mask_value(v, k, substitute=substitute) for k, v in value.items()}
    if type(value) in (list, tuple):  # not subclasses: a named tuple has its own signature
        return type(value)(mask_value(v, substitute=substitute) for v in value)
    return value


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, Mapping):
            record.args = mask_value(record.args)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler's report
            message = str(record.msg)
        record.msg, record.args = mask_text(message), None
        for name in SENSITIVE_NAMES & record.__dict__.keys():
            setattr(record, name, MASK)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    def is_active(self, request: HttpRequest | None) -> bool:
        return True  # in DEBUG as well

    def get_post_parameters(self, request: HttpRequest | None) -> Any:
        if request is None:
            return {}
        post = super().get_post_parameters(request)
        cleansed = post.copy() if isinstance(post, QueryDict) else QueryDict(mutable=True)
        if not isinstance(post, QueryDict):
            for key, value in post.items():
                cleansed[key] = value
        for name in list(cleansed):
            values = cleansed.getlist(name)
            if is_sensitive(name):
                cleansed.setlist(name, [self.cleansed_substitute for _ in values])
            else:
                cleansed.setlist(name, [mask_text(str(v)) for v in values])
        return cleansed

    def get_traceback_frame_variables(self, request: HttpRequest | None, tb_frame: Any) -> Any:
        variables = super().get_traceback_frame_variables(request, tb_frame)
        return [
            (name, mask_value(value, name, substitute=self.cleansed_substitute))
            for name, value in variables
        ]

    def cleanse_setting(self, key: Any, value: Any) -> Any:
        # META and settings: the query string of a search by IIN, for one.
        cleansed = super().cleanse_setting(key, value)
        return mask_text(cleansed) if _is_text(cleansed) else cleansed
