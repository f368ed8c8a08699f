from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("qorgau.api.urls")),
    path("surveys/", include("qorgau.surveys.urls")),
    path("account/", include("qorgau.accounts.urls")),
    path("", include("qorgau.grants.urls")),
    path("", include("qorgau.retention.urls")),  # before web: cases/<pk>/hold/
    path("", include("qorgau.audit.urls")),  # before web: cases/<pk>/<action>/
    path("", include("qorgau.web.urls")),
]

handler404 = "qorgau.web.views.errors.page_not_found"
