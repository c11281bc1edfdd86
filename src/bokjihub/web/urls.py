from django.contrib.auth import views as auth_views
from django.urls import path

from bokjihub.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("households/", views.household_search, name="household_search"),
    path("households/<str:reference>/", views.household_detail, name="household_detail"),
]
