from django.http import Http404, HttpResponse
from django.shortcuts import render

from qorgau.accounts.roles import Perm
from qorgau.pages import AuthedRequest, requires
from qorgau.surveys import selectors


@requires(Perm.STATS_VIEW)
def survey_list(request: AuthedRequest) -> HttpResponse:
    surveys = selectors.surveys_visible_to(request.user)
    return render(request, "surveys/survey_list.html", {"surveys": surveys})


@requires(Perm.STATS_VIEW)
def survey_detail(request: AuthedRequest, name: str) -> HttpResponse:
    survey = selectors.access_survey(request.user, name)
    if survey is None:
        raise Http404
    page = selectors.survey_page(survey=survey, disaggregation=request.GET.get("by"))
    return render(request, "surveys/survey_detail.html", {"page": page})
