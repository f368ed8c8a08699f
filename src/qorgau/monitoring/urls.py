from django.urls import path

from qorgau.monitoring import views

urlpatterns = [
    path("", views.dashboard_page, name="statistics"),
    path("report.pdf", views.dashboard_pdf, name="statistics-pdf"),
    path("export/<slug:table>.<slug:fmt>", views.export, name="statistics-export"),
    path("import/", views.import_page, name="statistics-import"),
]
