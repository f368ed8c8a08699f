"""Who covers a place: the providers whose coverage holds the place or a place above it.

The child's place and its ancestors (a settlement, its district, its region: at most
four rows of the KATO tree) are read first; the providers are then found through the
coverage table's index on those few place ids, whatever the size of the directory.
"""

import datetime as dt

from django.db.models import QuerySet

from qorgau.children.models import Child
from qorgau.places.models import Place
from qorgau.referrals.models import Provider, ServiceType


def place_and_above(place: Place) -> list[int]:
    ids = []
    current: Place | None = place
    while current is not None:
        ids.append(current.pk)
        current = current.parent
    return ids


def providers_covering(*, place: Place, service: ServiceType | None = None) -> QuerySet[Provider]:
    providers = Provider.objects.filter(active=True, coverage__in=place_and_above(place))
    if service is not None:
        providers = providers.filter(services=service)
    return providers.distinct().select_related("organisation__place")


def age_on(child: Child, day: dt.date) -> int | None:
    born = child.birth_date
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
