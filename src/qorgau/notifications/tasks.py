"""Background tasks (django-tasks; the database backend runs them in `qorgau db_worker`)."""

from django_tasks import task

from qorgau.notifications.services import reminders_send


@task()
def send_reminders() -> dict[str, int]:
    return reminders_send()
