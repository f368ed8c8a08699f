from django.urls import path

from qorgau.linkage import views

urlpatterns = [
    path("children/<int:pk>/duplicates/", views.child_duplicates, name="child-duplicates"),
    path("children/<int:pk>/merge/<int:other>/", views.child_merge_page, name="child-merge"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge-undo"),
    path("access-requests/", views.access_requests, name="access-requests"),
    path("access-requests/new/", views.access_request_new, name="access-request-new"),
    path("duplicates/", views.review_queue, name="review-queue"),
    path("duplicates/<int:pk>/", views.review_pair, name="review-pair"),
    path("linkage-model/", views.link_model, name="link-model"),
    path(
        "access-requests/<int:pk>/answer/",
        views.access_request_answer,
        name="access-request-answer",
    ),
]
