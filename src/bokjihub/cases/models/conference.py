"""Case conferences (사례회의) and the tasks their decisions create.

A conference is one meeting covering several cases — the monthly public–private
integrated case conference of a Si/Gun/Gu, or a CYS-Net meeting with the office of
education and the police — with participants from several organisations. A decision is
recorded per case and becomes tasks with an owner and a due date.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConferenceKind(models.TextChoices):
    SIGUNGU_MONTHLY = "sigungu_monthly", _("시·군·구 통합사례회의(민관 월례)")
    CYS_NET = "cys_net", _("CYS-Net 청소년 사례회의")
    OTHER = "other", _("기타 사례회의")


class ConferenceStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("예정")
    HELD = "held", _("개최")
    CANCELLED = "cancelled", _("취소")


class Conference(models.Model):
    kind = models.CharField(max_length=20, choices=ConferenceKind.choices)
    title = models.CharField(max_length=120)
    sigungu = models.ForeignKey("regions.Sigungu", on_delete=models.PROTECT, related_name="+")
    convened_by = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="conferences_convened"
    )
    scheduled_for = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=ConferenceStatus.choices, default=ConferenceStatus.SCHEDULED
    )
    cases = models.ManyToManyField("cases.Case", through="ConferenceCase", related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        indexes = [
            models.Index(fields=["sigungu", "scheduled_for"], name="conference_sigungu_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class ConferenceParticipant(models.Model):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="participants"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "organisation", "user"], name="conference_participant_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conference} · {self.organisation}"


class ConferenceCase(models.Model):
    """A case on the conference's agenda."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="agenda")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="conferences")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conference", "case"], name="conference_case_once"),
        ]

    def __str__(self) -> str:
        return f"{self.conference} · {self.case}"


class ConferenceDecision(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="decisions")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="decisions")
    decision = models.TextField()
    decided_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.conference} 결정 ({self.case})"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("진행")
    DONE = "done", _("완료")
    CANCELLED = "cancelled", _("취소")


class CaseTask(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="tasks")
    decision = models.ForeignKey(
        ConferenceDecision, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_tasks"
    )
    owner_organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(completed_at__isnull=False),
                name="case_task_done_has_time",
            ),
        ]
        indexes = [
            # a worker's open tasks by due date (the workload and "today" pages)
            models.Index(
                fields=["owner", "due_on"],
                condition=models.Q(status="open"),
                name="case_task_open_owner_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title
