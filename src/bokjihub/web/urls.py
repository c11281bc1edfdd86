from django.contrib.auth import views as auth_views
from django.urls import path

from bokjihub.web import auth_views as two_step_login
from bokjihub.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", two_step_login.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("membership/", views.membership_switch, name="membership_switch"),
    path("households/", views.household_search, name="household_search"),
    path("households/<str:reference>/", views.household_detail, name="household_detail"),
    path("consents/new/", views.consent_new, name="consent_new"),
    path("consents/withdraw/", views.consent_withdraw_view, name="consent_withdraw"),
    path("persons/record/", views.person_record, name="person_record"),
    path("login/two-factor/", two_step_login.two_factor_verify, name="two_factor_verify"),
    path("login/two-factor/setup/", two_step_login.two_factor_setup, name="two_factor_setup"),
]
