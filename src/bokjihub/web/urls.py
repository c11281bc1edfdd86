from django.contrib.auth import views as auth_views
from django.urls import path

from bokjihub.web import views
from bokjihub.web.forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="web/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("membership/", views.membership_switch, name="membership_switch"),
    path("households/", views.household_search, name="household_search"),
    path("households/<str:reference>/", views.household_detail, name="household_detail"),
]
