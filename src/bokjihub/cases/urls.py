"""URLs of the supporting track: the worker's day, the handover, the gap list, the
redundancy flags, and one case. Case URLs carry the case number only (nothing about the
household)."""

from django.urls import path

from bokjihub.cases import delivery_views, views

urlpatterns = [
    path("today/", views.today, name="case_today"),
    path("handover/", views.handover, name="case_handover"),
    path("gaps/", delivery_views.gaps, name="case_gaps"),
    path("redundancy/", delivery_views.redundancy, name="case_redundancy"),
    path(
        "redundancy/<int:flag_id>/resolve/",
        delivery_views.redundancy_resolve,
        name="case_redundancy_resolve",
    ),
    path("<int:case_id>/", views.case_detail, name="case_detail"),
    path("<int:case_id>/join/", views.case_join_view, name="case_join"),
    path("<int:case_id>/<slug:action>/", views.case_action, name="case_action"),
]
