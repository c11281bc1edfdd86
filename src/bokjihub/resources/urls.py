from django.urls import path

from bokjihub.resources import views

app_name = "resources"

urlpatterns = [
    path("donors/", views.donors, name="resources_donors"),
    path("inventory/", views.inventory, name="resources_inventory"),
    path("campaigns/", views.campaigns, name="resources_campaigns"),
    path("recognitions/", views.recognitions, name="resources_recognitions"),
    path("needs/", views.needs, name="resources_needs"),
    path("allocation/", views.allocation, name="resources_allocation"),
]
