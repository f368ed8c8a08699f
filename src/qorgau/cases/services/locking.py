from django.db.models import F

from qorgau.accounts.models import User
from qorgau.cases import rollups
from qorgau.cases.models import Case
from qorgau.cases.workflow import Action, check_version, require_action


def _locked(case: Case) -> Case:
    # The case row alone, without joins: a row that changed while this one waited for
    # the lock is checked again against the query's joins, and a join to the worker
    # who was just replaced (a transfer accepted meanwhile) would find no case at all.
    return Case.objects.select_for_update().get(pk=case.pk)


def lock_case(*, actor: User, case: Case, action: Action, version: int) -> Case:
    """Lock the case row, then check the action and the editor's version against it.

    Call inside a transaction. The check runs on the locked row, so two people acting
    at once are serialised and the second sees the first one's change.
    """
    locked = _locked(case)
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
    locked = _locked(case)
    require_action(actor, locked, action)
    return locked


def bump(case: Case, *fields: str) -> None:
    """Save the changed fields and move the version on.

    Every change to a case or what hangs on it (status, risk level, a plan and its
    actions, a transfer) bumps its version here, so monitoring's counts of the case
    move here too, in the same transaction."""
    case.version = F("version") + 1
    case.save(update_fields=[*fields, "version"])
    case.refresh_from_db(fields=["version"])
    rollups.retally_cases([case.pk])
