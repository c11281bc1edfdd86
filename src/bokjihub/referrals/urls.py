"""URLs of referrals. A referral's address carries its number only (nothing about the
household); the inbox is always the actor's own organisation's."""

from django.urls import path

from bokjihub.referrals import views

app_name = "referrals"

urlpatterns = [
    path("inbox/", views.referral_inbox_view, name="referral_inbox"),
    path("case/<int:case_id>/send/", views.referral_send_view, name="referral_send"),
    path("<int:referral_id>/", views.referral_detail, name="referral_detail"),
    path("<int:referral_id>/<slug:action>/", views.referral_action, name="referral_action"),
]
