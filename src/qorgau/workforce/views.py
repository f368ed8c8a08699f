"""Pages: staffing against the norm by region, and one region's organisations."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from qorgau import access
from qorgau.accounts.roles import Perm
from qorgau.pages import AuthedRequest, requires
from qorgau.paging import page_of
from qorgau.workforce import selectors


def _regions(request: AuthedRequest):
    return access.programme_regions_visible_to(request.user, Perm.WORKFORCE_VIEW)


@requires(Perm.WORKFORCE_VIEW)
def workforce_overview(request: AuthedRequest) -> HttpResponse:
    period = selectors.latest_period()
    rows = selectors.staffing_by_region(_regions(request), period) if period else []
    context = {
        "rows": rows,
        "period": period,
        "below": sum(r.below_norm for r in rows),
        "population_year": selectors.population_year(period.year) if period else None,
    }
    return render(request, "workforce/overview.html", context)


@requires(Perm.WORKFORCE_VIEW)
def workforce_region(request: AuthedRequest, kato: str) -> HttpResponse:
    region = _regions(request).filter(kato=kato).first()
    if region is None:
        raise Http404
    period = selectors.latest_period()
    summary = (
        selectors.staffing_by_region(_regions(request).filter(pk=region.pk), period)
        if period
        else []
    )
    organisations = page_of(selectors.organisations_of(region), request, param="orgs")
    history = selectors.history_of(list(organisations))
    context = {
        "region": region,
        "period": period,
        "summary": summary[0] if summary else None,
        "organisations": organisations,
        "history": [(o, history.get(o.pk, [])) for o in organisations],
        "specialists": page_of(selectors.specialists_of(region), request, param="people"),
    }
    return render(request, "workforce/region.html", context)
