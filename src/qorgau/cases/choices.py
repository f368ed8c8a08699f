"""Categories of intake and case work. Codes are stable: statistics are built on them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReporterType(models.TextChoices):
    HOTLINE_111 = "hotline_111", _("111 contact centre")
    SCHOOL = "school", _("School")
    POLICE = "police", _("Police")
    HEALTH = "health", _("Health facility")
    PARENT = "parent", _("Parent or relative")
    CHILD = "child", _("The child")
    NEIGHBOUR = "neighbour", _("Neighbour")
    ANONYMOUS = "anonymous", _("Anonymous")
    NGO = "ngo", _("NGO")
    OTHER = "other", _("Other")


class Concern(models.TextChoices):
    BULLYING = "bullying", _("Bullying")
    CYBERBULLYING = "cyberbullying", _("Cyberbullying")
    PHYSICAL = "physical", _("Physical violence")
    PSYCHOLOGICAL = "psychological", _("Psychological violence")
    SEXUAL = "sexual", _("Sexual violence")
    NEGLECT = "neglect", _("Neglect")
    DOMESTIC = "domestic", _("Domestic violence in the home")
    SUICIDE = "suicide", _("Suicide risk or self-harm")
    LABOUR = "labour", _("Child labour or exploitation")
    MARRIAGE = "marriage", _("Child marriage")
    MISSING = "missing", _("Missing or runaway")
    TRAFFICKING = "trafficking", _("Trafficking")
    ONLINE_HARM = "online_harm", _("Online harm")
    OTHER = "other", _("Other")


# Concerns that may be a criminal offence: the law requires a police notification.
# (2024 law No. 72-VIII: violence against minors is investigated without a complaint;
# inciting suicide and sexual offences against children are crimes.)
POLICE_NOTIFIABLE = frozenset(
    {Concern.SEXUAL, Concern.PHYSICAL, Concern.SUICIDE, Concern.TRAFFICKING}
)
# Concerns that restrict a case to its worker and supervisor.
SENSITIVE = frozenset({Concern.SEXUAL, Concern.SUICIDE})


class Urgency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate danger")
    URGENT = "urgent", _("Urgent")
    ROUTINE = "routine", _("Routine")


class Answer(models.TextChoices):
    """An answer to a risk assessment question."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


RISK_ORDER = {RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2, RiskLevel.CRITICAL: 3}


class ScreenOutReason(models.TextChoices):
    NO_CONCERN = "no_concern", _("No child protection concern")
    DUPLICATE = "duplicate", _("Duplicate of another report")
    OTHER_AGENCY = "other_agency", _("Matter for another agency")
    INSUFFICIENT = "insufficient", _("Not enough information to act")
    OUT_OF_AREA = "out_of_area", _("Outside our territory (forwarded)")


class SafetyDecision(models.TextChoices):
    SAFE = "safe", _("Child is safe at home")
    SAFETY_PLAN = "safety_plan", _("Safe with a safety plan")
    RELATIVES = "relatives", _("Placed with relatives")
    EMERGENCY = "emergency", _("Emergency placement")


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Plan goals met, risk reduced")
    NO_RISK = "no_risk", _("Assessment found no significant risk")
    MOVED = "moved", _("Family moved away (transferred)")
    ADULT = "adult", _("Child turned 18")
    REFUSED = "refused", _("Family refused services, risk not high")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    IMPROVED = "improved", _("Situation improved")
    UNCHANGED = "unchanged", _("Situation unchanged")
    WORSENED = "worsened", _("Situation worsened")
    PLACED = "placed", _("Child placed in alternative care")
