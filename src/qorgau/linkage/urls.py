from django.urls import path

from qorgau.linkage import views

urlpatterns = [
    path("children/<int:pk>/duplicates/", views.child_duplicates, name="child-duplicates"),
    path("children/<int:pk>/merge/<int:other>/", views.child_merge_page, name="child-merge"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge-undo"),
    path("access-requests/", views.access_requests, name="access-requests"),
    path("access-requests/new/", views.access_request_new, name="access-request-new"),
    path("access-requests/sent/", views.access_requests_sent, name="access-requests-sent"),
    path("duplicates/", views.review_queue, name="review-queue"),
    path("duplicates/<int:pk>/", views.review_pair, name="review-pair"),
    path("linkage-model/", views.link_model, name="link-model"),
    path("linkage-model/auto-merge/", views.auto_merge, name="link-auto-merge"),
    path("merge-requests/", views.merge_requests, name="merge-requests"),
    path("merge-requests/<int:pk>/", views.merge_request_page, name="merge-request"),
    path(
        "access-requests/<int:pk>/answer/",
        views.access_request_answer,
        name="access-request-answer",
    ),
]
