"""Default stage deadlines, in hours.

The values are configuration with these defaults (settings.QORGAU_DEADLINES), never
constants inside the workflow: the law and the ministry's orders change them.
"""

DEFAULT_DEADLINES: dict[str, int] = {
    # A report is screened within one day; immediate danger within two hours.
    "screening": 24,
    "screening_immediate": 2,
    # The risk assessment follows screening-in within three days.
    "assessment": 72,
    # A case plan within ten days of opening.
    "plan": 240,
    # Police are notified of a possible offence within 24 hours (2024 law: schools
    # and agencies must report offences against minors to law enforcement).
    "police_notification": 24,
    # A transfer not accepted within five days is shown as overdue to both sides.
    "transfer_acceptance": 120,
    # A referral not accepted or declined within three days shows as overdue.
    "referral_acceptance": 72,
    # A positive suicide-risk screen needs a safety plan within a day.
    "safety_plan": 24,
}
