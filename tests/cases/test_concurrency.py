"""Two people changing one case at the same moment, on two real database connections.

The row lock of `cases/services/locking.py` serialises them: the second reads the case
only after the first has committed, sees the new version and is told to reload. Without
the lock both read the same version, both pass the check and both write: a case
approved twice, or approved and sent back at once.
"""

import contextlib
import threading

import pytest
from django.db import connection, connections

from personas import make_case, make_user, version_of
from qorgau.accounts.roles import Role
from qorgau.cases.models import Case
from qorgau.cases.services import locking
from qorgau.cases.services.closure import case_closure_decide
from qorgau.cases.services.plans import plan_decide
from qorgau.cases.services.transfers import case_transfer_decide, case_transfer_request
from qorgau.cases.workflow import StaleVersion

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite locks the whole database for a write and has no row locks: "
        "the race needs PostgreSQL (set DATABASE_URL)",
    ),
]

# Long enough for the second thread to reach the check when nothing holds it back.
MEET_SECONDS = 3


def race(monkeypatch, *calls):
    """Run the calls at once in threads; each waits for the others right after reading
    the case (inside the lock, if there is one) before it checks and writes."""
    meeting = threading.Barrier(len(calls), timeout=MEET_SECONDS)
    real_check = locking.check_version

    def check_after_meeting(case, version):
        # Broken: the other one is held by the lock, so this one goes on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait()
        real_check(case, version)

    monkeypatch.setattr(locking, "check_version", check_after_meeting)
    outcomes: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            call()
            outcomes[index] = "done"
        except Exception as error:  # kept for the assertion to show
            outcomes[index] = error
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_two_supervisors_approving_one_closure_at_once_close_it_once(
    monkeypatch, caseworker_pavlodar, supervisor_pavlodar, dept_pavlodar
):
    colleague = make_user("supervisor2_pavlodar", role=Role.SUPERVISOR, organisation=dept_pavlodar)
    case = make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="closure_requested"
    )
    loaded = version_of(case)
    outcomes = race(
        monkeypatch,
        lambda: case_closure_decide(
            actor=supervisor_pavlodar, case=case, version=loaded, approve=True
        ),
        lambda: case_closure_decide(
            actor=colleague, case=case, version=loaded, approve=False, note="Not yet"
        ),
    )
    assert outcomes.count("done") == 1
    assert sum(isinstance(outcome, StaleVersion) for outcome in outcomes) == 1
    case.refresh_from_db()
    decisions = case.timeline.filter(kind__in=["closure_approved", "closure_rejected"])
    assert decisions.count() == 1, "exactly one decision was taken"
    assert case.version == loaded + 1
    assert case.status == (
        Case.Status.CLOSED if decisions.get().kind == "closure_approved" else Case.Status.ACTIVE
    )


def test_two_supervisors_approving_one_plan_at_once_approve_it_once(
    monkeypatch, caseworker_pavlodar, supervisor_pavlodar, dept_pavlodar
):
    colleague = make_user("supervisor2_pavlodar", role=Role.SUPERVISOR, organisation=dept_pavlodar)
    case = make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="plan_submitted"
    )
    loaded = version_of(case)
    outcomes = race(
        monkeypatch,
        *(
            lambda actor=actor: plan_decide(actor=actor, case=case, version=loaded, approve=True)
            for actor in (supervisor_pavlodar, colleague)
        ),
    )
    assert outcomes.count("done") == 1
    assert sum(isinstance(outcome, StaleVersion) for outcome in outcomes) == 1
    assert case.timeline.filter(kind="plan_approved").count() == 1
    assert version_of(case) == loaded + 1


def test_two_people_of_the_receiving_office_accepting_one_transfer_accept_it_once(
    monkeypatch, caseworker_pavlodar, supervisor_pavlodar, supervisor_astana, caseworker_astana
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    case_transfer_request(
        actor=caseworker_pavlodar,
        case=case,
        version=version_of(case),
        to_organisation=supervisor_astana.organisation,
        reason="The family moved to Astana.",
    )
    loaded = version_of(case)
    outcomes = race(
        monkeypatch,
        *(
            lambda actor=actor: case_transfer_decide(
                actor=actor, case=case, version=loaded, accept=True, worker=caseworker_astana
            )
            for actor in (supervisor_astana, caseworker_astana)
        ),
    )
    assert outcomes.count("done") == 1, outcomes
    assert sum(isinstance(outcome, StaleVersion) for outcome in outcomes) == 1, outcomes
    assert case.timeline.filter(kind="transfer_accepted").count() == 1
    assert version_of(case) == loaded + 1
