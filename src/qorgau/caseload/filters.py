"""The team page's filter (django-filter): one worker, one risk level."""

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import User
from qorgau.cases.choices import RiskLevel
from qorgau.cases.models import Case


class TeamCaseFilter(django_filters.FilterSet):
    worker = django_filters.ModelChoiceFilter(
        label=_("Caseworker"), queryset=User.objects.none(), empty_label=_("Everyone")
    )
    risk_level = django_filters.ChoiceFilter(
        label=_("Risk level"), choices=RiskLevel.choices, empty_label=_("Any")
    )

    class Meta:
        model = Case
        fields = ["worker", "risk_level"]

    def __init__(self, *args: Any, team: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the team is offered, and only the team is accepted.
        self.filters["worker"].queryset = team
