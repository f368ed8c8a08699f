from django.db.models import QuerySet

from qorgau.places.models import Place


def regions() -> QuerySet[Place]:
    """The 17 regions and 3 cities of republican significance."""
    return Place.objects.filter(parent__isnull=True)


def region_of(place: Place) -> Place:
    if place.parent_id is None:
        return place
    return Place.objects.get(kato=f"{place.region_code}0000000")
