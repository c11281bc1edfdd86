"""URLs of the supporting track: the worker's day, the handover, and one case. Case URLs
carry the case number only (nothing about the household)."""

from django.urls import path

from bokjihub.cases import views

urlpatterns = [
    path("today/", views.today, name="case_today"),
    path("handover/", views.handover, name="case_handover"),
    path("<int:case_id>/", views.case_detail, name="case_detail"),
    path("<int:case_id>/join/", views.case_join_view, name="case_join"),
    path("<int:case_id>/<slug:action>/", views.case_action, name="case_action"),
]
