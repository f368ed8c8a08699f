"""Groups of offences against minors in the official crime statistics.

More groups are configuration: settings.QORGAU_OFFENCE_GROUPS_EXTRA maps a new code to
its names, e.g. {"cyberbullying": {"kk": "...", "ru": "...", "en": "..."}}.
"""

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

GROUPS = {
    "especially_grave": _("especially grave offences against minors"),
    "grave": _("grave offences against minors"),
    "medium": _("offences of medium gravity against minors"),
    "minor": _("minor offences against minors"),
    "sexual": _("sexual offences against minors"),
    "suicide_incitement": _("inciting suicide of minors"),
    "trafficking": _("trafficking in minors"),
    "bullying_admin": _("bullying of minors (CoAO 127-2)"),
}


def group_codes() -> list[str]:
    return [*GROUPS, *getattr(settings, "QORGAU_OFFENCE_GROUPS_EXTRA", {})]


def group_label(code: str) -> str:
    if code in GROUPS:
        return str(GROUPS[code])
    names = getattr(settings, "QORGAU_OFFENCE_GROUPS_EXTRA", {}).get(code, {})
    return names.get((get_language() or "ru")[:2]) or names.get("en") or code
