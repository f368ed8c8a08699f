"""The demo users: predictable usernames per role and region."""

from dataclasses import dataclass

from django.db.models import Q

from qorgau.accounts.roles import Role
from qorgau.demo.geography import PERSONA_REGIONS, REGIONS


@dataclass(frozen=True)
class Persona:
    username: str
    role: str
    org: str  # key of the organisation: "dept", "school", "111", "ministry" or "" (none)
    region: str  # region code of the organisation ("" for the administrator)
    supervisor: str = ""  # username of the supervisor


def personas() -> list[Persona]:
    """Every demo user, supervisors before the caseworkers who report to them."""
    people = [
        Persona("admin", Role.ADMINISTRATOR, "", ""),
        Persona("operator111", Role.OPERATOR_111, "111", "71"),
        Persona("analyst.national", Role.NATIONAL_ANALYST, "ministry", "71"),
        Persona("auditor", Role.AUDITOR, "ministry", "71"),
        Persona("coordinator.national", Role.PROGRAMME_COORDINATOR, "ministry", "71"),
    ]
    for region in REGIONS:
        slug, code = region.slug, region.code
        people += [
            Persona(f"supervisor.{slug}", Role.SUPERVISOR, "dept", code),
            Persona(f"caseworker.{slug}", Role.CASEWORKER, "dept", code, f"supervisor.{slug}"),
            Persona(f"caseworker2.{slug}", Role.CASEWORKER, "dept", code, f"supervisor.{slug}"),
            # The akimat's programme office, reporting progress for the region.
            Persona(f"coordinator.{slug}", Role.PROGRAMME_COORDINATOR, "dept", code),
        ]
        if code in PERSONA_REGIONS:
            people += [
                Persona(f"school.{slug}", Role.SCHOOL_REPORTER, "school", code),
                Persona(f"analyst.{slug}", Role.REGIONAL_ANALYST, "dept", code),
                # Staff of the region's family support centre: its referrals only.
                Persona(f"provider.{slug}", Role.SERVICE_PROVIDER, "family_support", code),
                # Staff of the akimat's housing department: its housing referrals only.
                Persona(f"housing.{slug}", Role.SERVICE_PROVIDER, "housing", code),
            ]
    return people


def demo_usernames() -> list[str]:
    return [p.username for p in personas()]


# The staff a large dataset adds beyond the personas: caseworker3.<region>,
# supervisor2.<region>, ... (see builder.Builder.build_staff).
STAFF_USERNAMES = r"^(caseworker|supervisor)[0-9]+\.[a-z]+$"


def demo_users() -> Q:
    """Every user a demo build makes: the personas and the staff of large datasets."""
    return Q(username__in=demo_usernames()) | Q(username__regex=STAFF_USERNAMES)


# The users whose presence means "a demo dataset is already here".
MARKER_USERNAMES = ("caseworker.pavlodar", "operator111", "supervisor.pavlodar")
