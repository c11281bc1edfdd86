"""URLs of the service directory (reference data; no personal data)."""

from django.urls import path

from bokjihub.directory import views

urlpatterns = [
    path("", views.directory_search, name="directory_search"),
    path("hsds.json", views.directory_hsds, name="directory_hsds"),
    path("<uuid:service_id>/", views.directory_service, name="directory_service"),
    path("<uuid:service_id>/capacity/", views.directory_capacity, name="directory_capacity"),
    path(
        "providers/<int:organisation_id>/", views.directory_provider, name="directory_provider"
    ),
]
