"""URLs of the finding track. Inbox and item pages (views_inbox), report forms for
finders, staff and the public (views_report), and the partner API (api)."""

from django.urls import path

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

# Report forms (views_report): the finder's phone form, staff intake, the hub's finders,
# and the public form of a Si/Gun/Gu (no login; nothing about the reporter in the URL).
from bokjihub.finding import views_report  # noqa: E402

urlpatterns += [
    path("report/", views_report.finder_report, name="finding_report"),
    path("report/sent/", views_report.finder_report_sent, name="finding_report_sent"),
    path("my-reports/", views_report.finder_my_reports, name="finding_my_reports"),
    path("intake/", views_report.intake, name="finding_intake"),
    path("finders/", views_report.finder_list, name="finding_finders"),
    path("public/<str:sigungu_code>/", views_report.public_report, name="finding_public"),
    path(
        "public/<str:sigungu_code>/sent/",
        views_report.public_report_sent,
        name="finding_public_sent",
    ),
]

# Screening runs started from the web by a Gu analyst (views_screening); the progress
# partial is what the run page polls.
from bokjihub.finding import views_screening  # noqa: E402

urlpatterns += [
    path("screening/", views_screening.screening_runs, name="finding_screening"),
    path("screening/<int:run_id>/", views_screening.screening_run, name="finding_screening_run"),
    path(
        "screening/<int:run_id>/progress/",
        views_screening.screening_run_progress,
        name="finding_screening_run_progress",
    ),
]
