"""`qorgau enrolment_code USERNAME`: a one-time code to set up a second factor.

For the first administrator, who has nobody to issue one in the admin; everyone
else gets theirs from the admin's "issue an enrolment code" action.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qorgau.accounts.models import User
from qorgau.accounts.twofactor import enrolment_code_issue


class Command(BaseCommand):
    help = "Issue a one-time enrolment code with which USERNAME sets up a second factor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['username']!r}")
        issued = enrolment_code_issue(actor=None, user=user)
        self.stdout.write(f"{issued.code} (valid until {issued.expires_at:%Y-%m-%d %H:%M %Z})")
