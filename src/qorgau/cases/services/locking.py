from django.db.models import F

from qorgau.accounts.models import User
from qorgau.cases.models import Case
from qorgau.cases.workflow import Action, check_version, require_action


def lock_case(*, actor: User, case: Case, action: Action, version: int) -> Case:
    """Lock the case row, then check the action and the editor's version against it.

    Call inside a transaction. The check runs on the locked row, so two people acting
    at once are serialised and the second sees the first one's change.
    """
    locked = Case.objects.select_for_update().select_related("worker").get(pk=case.pk)
    check_version(locked, version)
    require_action(actor, locked, action)
    return locked


def lock_case_to_add(*, actor: User, case: Case, action: Action) -> Case:
    """Lock the case row to add a record to it (a visit, a police notification step).

    An addition overwrites nothing another person typed, so it carries no version and
    does not move it on; the workflow is still checked on the locked row, so nothing is
    added to a case that was closed meanwhile, and each addition's own state check
    (already sent, already acknowledged) runs after the lock.
    """
    locked = Case.objects.select_for_update().select_related("worker").get(pk=case.pk)
    require_action(actor, locked, action)
    return locked


def bump(case: Case, *fields: str) -> None:
    """Save the changed fields and move the version on."""
    case.version = F("version") + 1
    case.save(update_fields=[*fields, "version"])
    case.refresh_from_db(fields=["version"])
