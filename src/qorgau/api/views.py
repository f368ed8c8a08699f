"""REST API: the same access gate and services as the web pages.

Endpoints are thin: parse with an input serializer, call one selector or service,
answer with an output serializer. Records outside the caller's scope are 404.
"""

from typing import cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
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
from qorgau.cases.choices import Concern, ReporterType, Urgency
from qorgau.cases.services.reports import DescribedChild, report_create
from qorgau.monitoring import casedata, casework
from qorgau.monitoring.disclosure import threshold
from qorgau.places.models import Place


def _actor(request: Request) -> User:
    """The caller; IsAuthenticated (the default permission) has ruled out anonymous."""
    return cast(User, request.user)


def _require(request: Request, perm: Perm) -> None:
    if not _actor(request).has_perm_code(perm):
        raise NotFound


class ErrorDetail(serializers.Serializer):
    detail = serializers.CharField()


# What every endpoint may answer besides its own result (the schema says so, so a client
# and schemathesis know them).
NOT_FOUND = OpenApiResponse(
    ErrorDetail, description="No such record, or not one of yours: the same answer for both."
)
REFUSED = OpenApiResponse(
    ErrorDetail,
    description="Not logged in with the second factor, or a write without the CSRF token.",
)
THROTTLED = OpenApiResponse(ErrorDetail, description="Too many requests: wait and try again.")
COMMON = {403: REFUSED, 404: NOT_FOUND, 429: THROTTLED}

# DRF trims text and refuses NUL characters; a required text must keep a visible character.
_NO_NUL = RegexValidator(r"^[^\x00]*$", message="Text cannot contain NUL characters.")
_VISIBLE = RegexValidator(r"^[^\x00]*\S[^\x00]*$", message="Enter some text, without NUL.")


class Text(serializers.CharField):
    """A JSON string only: DRF would take the number 5 for "5", which the schema refuses."""

    def to_internal_value(self, data: object) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class PlaceCode(serializers.SlugRelatedField):
    """A place by its KATO code, given as a JSON string (as the schema says).

    Only digits make a code: PostgreSQL would fail on a NUL in the lookup rather than
    find nothing."""

    def to_internal_value(self, data: object) -> Place:
        if not isinstance(data, str):
            self.fail("invalid")
        if not (data.isascii() and data.isdigit()):
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return cast(Place, super().to_internal_value(data))


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


class ReportInput(serializers.Serializer):
    reporter_type = serializers.ChoiceField(choices=ReporterType.choices)
    reporter_name = Text(
        required=False,
        default="",
        allow_blank=True,
        max_length=limits.FULL_NAME,
        validators=[_NO_NUL],
    )
    reporter_contact = Text(
        required=False,
        default="",
        allow_blank=True,
        max_length=limits.FULL_NAME,
        validators=[_NO_NUL],
    )
    place = PlaceCode(
        slug_field="kato",
        queryset=Place.objects.all(),
        help_text="KATO code of a place in the register (9 digits).",
    )
    narrative = Text(max_length=limits.NARRATIVE, validators=[_VISIBLE])
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    concerns = serializers.ListField(
        child=serializers.ChoiceField(choices=Concern.choices), min_length=1
    )
    children = serializers.ListField(
        child=Text(max_length=limits.LINE, validators=[_VISIBLE]),
        min_length=1,
        max_length=limits.CHILDREN_PER_REPORT,
        help_text="One description per child: a name, an age or a school is enough.",
    )
    incident_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Not in the future, nor more than 18 years before the report.",
    )


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
    suppressed_below = serializers.IntegerField(default=threshold)
    regions = RegionCounts(many=True)


class CaseworkRow(serializers.Serializer):
    """One region's case-work figures ("KZ": the country); null where hidden."""

    region = serializers.CharField()
    screening_hours_p50 = serializers.FloatField(allow_null=True)
    screening_hours_p90 = serializers.FloatField(allow_null=True)
    first_visit_hours_p50 = serializers.FloatField(allow_null=True)
    first_visit_hours_p90 = serializers.FloatField(allow_null=True)
    open_cases_not_assessed = serializers.IntegerField(allow_null=True)
    open_cases_low = serializers.IntegerField(allow_null=True)
    open_cases_medium = serializers.IntegerField(allow_null=True)
    open_cases_high = serializers.IntegerField(allow_null=True)
    open_cases_critical = serializers.IntegerField(allow_null=True)
    overdue_plan_actions = serializers.IntegerField(allow_null=True)
    police_in_time_pct = serializers.FloatField(allow_null=True)
    reported_again_pct = serializers.FloatField(allow_null=True)


class CaseworkStatistics(serializers.Serializer):
    year = serializers.IntegerField(allow_null=True)  # null: the 365 days up to now
    suppressed_below = serializers.IntegerField(default=threshold)
    regions = CaseworkRow(many=True)


class CaseListApi(APIView):
    # Declared on the view so that the schema shows the paged answer and its `page`.
    pagination_class = PageNumberPagination

    @extend_schema(responses={200: CaseSummary(many=True), **COMMON})
    def get(self, request: Request) -> Response:
        _require(request, Perm.CASE_VIEW)
        cases = cases_visible_to(_actor(request)).select_related("region").order_by("-opened_at")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(cases, request, view=self) or []
        # A list hands out no single record through the gate: log the page of it.
        audit.record(
            actor=_actor(request), action=Action.LIST, kind=RecordKind.CASE, result_count=len(page)
        )
        return paginator.get_paginated_response(CaseSummary(page, many=True).data)


class CaseDetailApi(APIView):
    @extend_schema(responses={200: CaseDetail, **COMMON})
    def get(self, request: Request, pk: int) -> Response:
        _require(request, Perm.CASE_VIEW)
        case = access_case(_actor(request), pk)
        return Response(CaseDetail(case).data)


class ReportCreateApi(APIView):
    @extend_schema(
        request=ReportInput,
        responses={
            201: ReportStatus,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Which fields are wrong and why: {field: [message, ...]}.",
            ),
            **COMMON,
        },
        examples=[
            OpenApiExample(
                "A school reports a child",
                request_only=True,
                value={
                    "reporter_type": ReporterType.SCHOOL,
                    "place": "550000000",
                    "narrative": "A pupil came to school with bruises twice this week.",
                    "urgency": Urgency.ROUTINE,
                    "concerns": [Concern.PHYSICAL],
                    "children": ["Boy, about 9, class 3B"],
                },
            )
        ],
    )
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
    @extend_schema(responses={200: ReportStatus, **COMMON})
    def get(self, request: Request, pk: int) -> Response:
        report = access_report(_actor(request), pk)
        return Response(ReportStatus(report).data)


class StatisticsApi(APIView):
    @extend_schema(responses={200: Statistics, **COMMON})
    def get(self, request: Request) -> Response:
        overview = casedata.overview(actor=_actor(request))
        if overview is None:
            raise NotFound
        return Response(Statistics(overview).data)


class CaseworkStatisticsApi(APIView):
    """The case-work table by region of the caller's scope, suppressed; ?year=YYYY for
    a calendar year. Logged as an export of statistics."""

    @extend_schema(responses={200: CaseworkStatistics, **COMMON})
    def get(self, request: Request) -> Response:
        year_text = request.query_params.get("year", "")
        year = None
        if year_text:
            if not year_text.isdigit() or not 2000 <= int(year_text) <= timezone.localdate().year:
                raise DRFValidationError({"year": ["A year from 2000 to this year."]})
            year = int(year_text)
        table = casework.table(actor=_actor(request), year=year)
        if table is None:
            raise NotFound
        audit.record(
            actor=_actor(request),
            action=Action.EXPORT,
            kind=RecordKind.STATISTICS,
            reason=f"api casework {year or '365d'}",
            result_count=len(table.rows),
        )
        rows = [dict(zip(table.header, row, strict=True)) for row in table.rows]
        return Response(CaseworkStatistics({"year": year, "regions": rows}).data)
