"""REST API of referrals: read-only, through the same gate as the pages.

A provider's staff get the referrals sent to their organisation with only what was
shared; case staff get the referrals of the cases they see.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qorgau.access import access_referral, referrals_visible_to
from qorgau.accounts.roles import Perm
from qorgau.api.views import COMMON, _actor
from qorgau.audit import log as audit
from qorgau.audit.models import Action, RecordKind


def _require_referrals(request: Request) -> None:
    user = _actor(request)
    if not (user.has_perm_code(Perm.REFERRAL_RESPOND) or user.has_perm_code(Perm.CASE_VIEW)):
        raise NotFound


class ReferralSummary(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    service = serializers.CharField(source="service.code")
    provider = serializers.CharField(source="provider.name")
    sent_at = serializers.DateTimeField()
    accept_due_at = serializers.DateTimeField()
    overdue = serializers.BooleanField(source="is_overdue")


class ReferralDetail(ReferralSummary):
    reason = serializers.CharField()
    shared_name = serializers.CharField()
    shared_age = serializers.IntegerField(allow_null=True)
    shared_contact = serializers.CharField()
    shared_note = serializers.CharField()
    decline_reason = serializers.CharField()
    withdraw_reason = serializers.CharField()
    outcome = serializers.CharField()
    ended_on = serializers.DateField(allow_null=True)


class ReferralListApi(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(responses={200: ReferralSummary(many=True), **COMMON})
    def get(self, request: Request) -> Response:
        _require_referrals(request)
        referrals = (
            referrals_visible_to(_actor(request))
            .select_related("service", "provider")
            .order_by("-sent_at", "-pk")
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(referrals, request, view=self) or []
        audit.record(
            actor=_actor(request),
            action=Action.LIST,
            kind=RecordKind.REFERRAL,
            result_count=len(page),
        )
        return paginator.get_paginated_response(ReferralSummary(page, many=True).data)


class ReferralDetailApi(APIView):
    @extend_schema(responses={200: ReferralDetail, **COMMON})
    def get(self, request: Request, pk: int) -> Response:
        _require_referrals(request)
        return Response(ReferralDetail(access_referral(_actor(request), pk)).data)
