"""URLs of the finding track. Inbox and item pages (views_inbox), report forms for
finders, staff and the public (views_report), and the partner API (api)."""

from django.urls import path  # noqa: F401 - the helpers append their routes below

urlpatterns: list = []

# Triage inbox and item pages (views_inbox). Item URLs carry the random reference only.
from bokjihub.finding import views_inbox  # noqa: E402

urlpatterns += [
    path("inbox/", views_inbox.inbox, name="finding_inbox"),
    path("items/<str:reference>/", views_inbox.item_detail, name="finding_item"),
    path(
        "items/<str:reference>/<slug:action>/",
        views_inbox.item_action,
        name="finding_item_action",
    ),
]
