from django.urls import path

from bokjihub.audit import views

urlpatterns = [
    path("review/", views.access_review_page, name="audit_review"),
]
