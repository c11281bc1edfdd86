from django.urls import path

from bokjihub.audit import views

urlpatterns = [
    path("review/", views.access_review_page, name="audit_review"),
    path("review/rows/", views.review_rows_page, name="audit_review_rows"),
    path("who-viewed/", views.who_viewed_page, name="audit_who_viewed"),
]
