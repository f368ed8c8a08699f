"""Roles and what each may do. Permissions are an enum, never strings in views."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR_111 = "operator_111", _("111 operator")
    SCHOOL_REPORTER = "school_reporter", _("School reporter")
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    REGIONAL_ANALYST = "regional_analyst", _("Regional analyst")
    NATIONAL_ANALYST = "national_analyst", _("National analyst")
    PROGRAMME_COORDINATOR = "programme_coordinator", _("Programme coordinator")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")
    # Staff of a service provider (family support centre, psychologist, legal aid...):
    # the referrals sent to their organisation, only what the caseworker shared.
    SERVICE_PROVIDER = "service_provider", _("Service provider staff")


class Perm(StrEnum):
    REPORT_CREATE = "report_create"
    REPORT_SCREEN = "report_screen"
    CHILD_VIEW = "child_view"
    CHILD_REGISTER = "child_register"
    CASE_VIEW = "case_view"
    CASE_WORK = "case_work"  # assess, plan, visits, police notices, transfers
    CASE_APPROVE = "case_approve"  # approve plans and closures
    STATS_VIEW = "stats_view"
    AUDIT_VIEW = "audit_view"  # the access log and field history, never the file
    LEGAL_HOLD = "legal_hold"  # place and lift legal holds that stop anonymisation
    EXPORT_PERSONAL_DATA = "export_personal_data"  # encrypted exports with child names
    PROGRAMME_VIEW = "programme_view"  # prevention programmes: plan, progress, dashboard
    PROGRAMME_REPORT = "programme_report"  # report measures and indicators for a body
    ACTIVITY_REPORT = "activity_report"  # a school's Adal Azamat sessions, pupils reached
    WORKFORCE_VIEW = "workforce_view"  # posts and specialists against the staffing norm
    WORKFORCE_REPORT = "workforce_report"  # a department's posts per quarter, its specialists
    REFERRAL_RESPOND = "referral_respond"  # accept, decline, sessions and outcome
    DIRECTORY_MAINTAIN = "directory_maintain"  # the service providers of the department
    CHILD_MERGE = "child_merge"  # merge two records of one child, undo a merge
    LINKAGE_MODEL = "linkage_model"  # the batch linkage model's runs and match weights


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.OPERATOR_111: frozenset({Perm.REPORT_CREATE}),
    Role.SCHOOL_REPORTER: frozenset({Perm.REPORT_CREATE, Perm.ACTIVITY_REPORT}),
    Role.CASEWORKER: frozenset(
        {
            Perm.REPORT_CREATE,
            Perm.REPORT_SCREEN,
            Perm.CHILD_VIEW,
            Perm.CHILD_REGISTER,
            Perm.CASE_VIEW,
            Perm.CASE_WORK,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Perm.REPORT_CREATE,
            Perm.REPORT_SCREEN,
            Perm.CHILD_VIEW,
            Perm.CHILD_REGISTER,
            Perm.CASE_VIEW,
            Perm.CASE_WORK,
            Perm.CASE_APPROVE,
            Perm.STATS_VIEW,
            Perm.LEGAL_HOLD,
            Perm.EXPORT_PERSONAL_DATA,
            Perm.WORKFORCE_VIEW,
            Perm.WORKFORCE_REPORT,
            Perm.DIRECTORY_MAINTAIN,
            Perm.CHILD_MERGE,
        }
    ),
    Role.REGIONAL_ANALYST: frozenset({Perm.STATS_VIEW, Perm.PROGRAMME_VIEW, Perm.WORKFORCE_VIEW}),
    Role.NATIONAL_ANALYST: frozenset({Perm.STATS_VIEW, Perm.PROGRAMME_VIEW, Perm.WORKFORCE_VIEW}),
    # A ministry's or an akimat's programme office: reports for its bodies, reads the
    # programmes and the staffing of its territory, and sees no personal records.
    Role.PROGRAMME_COORDINATOR: frozenset(
        {
            Perm.PROGRAMME_VIEW,
            Perm.PROGRAMME_REPORT,
            Perm.ACTIVITY_REPORT,
            Perm.WORKFORCE_VIEW,
            Perm.WORKFORCE_REPORT,
        }
    ),
    Role.AUDITOR: frozenset({Perm.STATS_VIEW, Perm.AUDIT_VIEW}),
    Role.ADMINISTRATOR: frozenset({Perm.LINKAGE_MODEL}),
    Role.SERVICE_PROVIDER: frozenset({Perm.REFERRAL_RESPOND}),
}
