"""REST API: the same access gate and services as the web pages.

Endpoints are thin: parse with an input serializer, call one selector or service,
answer with an output serializer. Records outside the caller's scope are 404.
"""

from typing import cast

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qorgau import limits
from qorgau.access import access_case, access_report, cases_visible_to
from qorgau.accounts.models import User
from qorgau.accounts.roles import Perm
from qorgau.audit import log as audit
from qorgau.audit.models import Action, RecordKind
from qorgau.cases import stats
from qorgau.cases.choices import Concern, ReporterType, Urgency
from qorgau.cases.services.reports import DescribedChild, report_create
from qorgau.places.models import Place


def _actor(request: Request) -> User:
    """The caller; IsAuthenticated (the default permission) has ruled out anonymous."""
    return cast(User, request.user)


def _require(request: Request, perm: Perm) -> None:
    if not _actor(request).has_perm_code(perm):
        raise NotFound


class CaseSummary(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    risk_level = serializers.CharField()
    region = serializers.CharField(source="region.kato")
    opened_at = serializers.DateTimeField()
    restricted = serializers.BooleanField()


class CaseChild(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True)


class CaseDetail(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    risk_level = serializers.CharField()
    version = serializers.IntegerField()
    worker = serializers.CharField(source="worker.username")
    children = CaseChild(many=True, source="children.all")


class KatoField(serializers.SlugRelatedField):
    """A place by its KATO code. Only digits make a code, and PostgreSQL would fail on a
    NUL in the lookup rather than find nothing."""

    def to_internal_value(self, data: object) -> Place:
        if not isinstance(data, str) or not (data.isascii() and data.isdigit()):
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return cast(Place, super().to_internal_value(data))


class ReportInput(serializers.Serializer):
    reporter_type = serializers.ChoiceField(choices=ReporterType.choices)
    reporter_name = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=limits.FULL_NAME
    )
    reporter_contact = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=limits.FULL_NAME
    )
    place = KatoField(slug_field="kato", queryset=Place.objects.all())
    narrative = serializers.CharField(max_length=limits.NARRATIVE)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    concerns = serializers.ListField(
        child=serializers.ChoiceField(choices=Concern.choices), min_length=1
    )
    children = serializers.ListField(
        child=serializers.CharField(max_length=limits.LINE),
        min_length=1,
        max_length=limits.CHILDREN_PER_REPORT,
    )
    incident_date = serializers.DateField(required=False, allow_null=True, default=None)


class ReportStatus(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    screening_due_at = serializers.DateTimeField()


class RegionCounts(serializers.Serializer):
    kato = serializers.CharField(source="region.kato")
    name = serializers.CharField(source="region.name")
    reports = serializers.IntegerField(allow_null=True)
    opened = serializers.IntegerField(allow_null=True)
    open_now = serializers.IntegerField(allow_null=True)
    closed = serializers.IntegerField(allow_null=True)


class Statistics(serializers.Serializer):
    since = serializers.DateField()
    national = serializers.BooleanField()
    suppressed_below = serializers.IntegerField(default=stats.SUPPRESS_BELOW)
    regions = RegionCounts(many=True)


class CaseListApi(APIView):
    @extend_schema(responses=CaseSummary(many=True))
    def get(self, request: Request) -> Response:
        _require(request, Perm.CASE_VIEW)
        cases = cases_visible_to(_actor(request)).select_related("region").order_by("-opened_at")
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(cases, request, view=self) or []
        # A list hands out no single record through the gate: log the page of it.
        audit.record(
            actor=_actor(request), action=Action.LIST, kind=RecordKind.CASE, result_count=len(page)
        )
        return paginator.get_paginated_response(CaseSummary(page, many=True).data)


class CaseDetailApi(APIView):
    @extend_schema(responses=CaseDetail)
    def get(self, request: Request, pk: int) -> Response:
        _require(request, Perm.CASE_VIEW)
        case = access_case(_actor(request), pk)
        return Response(CaseDetail(case).data)


class ReportCreateApi(APIView):
    @extend_schema(request=ReportInput, responses={201: ReportStatus})
    def post(self, request: Request) -> Response:
        _require(request, Perm.REPORT_CREATE)
        data = ReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        children = [DescribedChild(description=d) for d in values.pop("children")]
        try:
            report = report_create(actor=_actor(request), children=children, **values)
        except DjangoValidationError as error:
            raise DRFValidationError(
                error.message_dict if hasattr(error, "error_dict") else error.messages
            ) from error
        return Response(ReportStatus(report).data, status=status.HTTP_201_CREATED)


class ReportStatusApi(APIView):
    @extend_schema(responses=ReportStatus)
    def get(self, request: Request, pk: int) -> Response:
        report = access_report(_actor(request), pk)
        return Response(ReportStatus(report).data)


class StatisticsApi(APIView):
    @extend_schema(responses=Statistics)
    def get(self, request: Request) -> Response:
        overview = stats.overview(actor=_actor(request))
        if overview is None:
            raise NotFound
        return Response(Statistics(overview).data)
