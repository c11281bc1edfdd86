from django.urls import path

app_name = "resources"

urlpatterns: list = []
