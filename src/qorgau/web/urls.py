from django.contrib.auth import views as auth_views
from django.urls import path

from qorgau.web.views import cases, children, contacts, home, reports

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", home.my_work, name="my-work"),
    path("approvals/", home.approvals, name="approvals"),
    path("approvals/risk-overrides/", home.risk_overrides, name="risk-overrides"),
    path("reports/new/", reports.report_new, name="report-new"),
    path("reports/<int:pk>/", reports.report_detail, name="report-detail"),
    path("reports/<int:pk>/link/", reports.report_link, name="report-link"),
    path("reports/<int:pk>/screen/", reports.report_screen, name="report-screen"),
    path("reports/screened-out/", reports.screen_out_reviews, name="screen-out-reviews"),
    path("reports/<int:pk>/review/", reports.screen_out_review, name="screen-out-review"),
    path("children/", children.child_search_page, name="child-search"),
    path("children/new/", children.child_new, name="child-new"),
    path("children/<int:pk>/", children.child_detail, name="child-detail"),
    path("children/<int:pk>/edit/", children.child_edit, name="child-edit"),
    path(
        "children/<int:pk>/family/<int:member_pk>/",
        children.family_member_edit,
        name="family-member-edit",
    ),
    path("children/<int:pk>/family/", children.family_member_new, name="family-member-new"),
    path("cases/<int:pk>/", cases.case_detail, name="case-detail"),
    path(
        "cases/<int:pk>/police/<int:notification_pk>/<slug:step>/",
        cases.police_notification,
        name="police-notification",
    ),
    path("cases/<int:pk>/actions/<int:action_pk>/", cases.plan_action, name="plan-action"),
    path("cases/<int:pk>/contacts/", contacts.case_contacts, name="case-contacts"),
    path(
        "cases/<int:pk>/assess/suggestion/",
        cases.assessment_suggestion,
        name="assessment-suggestion",
    ),
    path("cases/<int:pk>/<slug:action>/", cases.case_action, name="case-action"),
]
