"""Home visits (방문): single or joint (public and private staff together — the
"visiting services cooperative system" of the field study), planned, then recorded."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitKind(models.TextChoices):
    SINGLE = "single", _("단독 방문")
    JOINT = "joint", _("민관 합동 방문")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("예정")
    DONE = "done", _("방문 완료")
    CANCELLED = "cancelled", _("취소")


class VisitOutcome(models.TextChoices):
    MET = "met", _("대상자 면담")
    NOT_AT_HOME = "not_at_home", _("부재")
    REFUSED = "refused", _("면담 거부")
    EMERGENCY_ACTION = "emergency_action", _("긴급 조치")


class Visit(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="visits")
    kind = models.CharField(max_length=10, choices=VisitKind.choices)
    status = models.CharField(max_length=10, choices=VisitStatus.choices)
    purpose = models.CharField(max_length=200, blank=True)
    planned_for = models.DateTimeField(null=True, blank=True)
    visited_at = models.DateTimeField(null=True, blank=True)
    observations = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=VisitOutcome.choices, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-planned_for", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done")
                | models.Q(visited_at__isnull=False) & ~models.Q(outcome=""),
                name="visit_done_has_time_and_outcome",
            ),
        ]
        indexes = [
            # planned visits by day (the workload and "today" pages)
            models.Index(
                fields=["planned_for"],
                condition=models.Q(status="planned"),
                name="visit_planned_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"


class VisitStaff(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "user"], name="visit_staff_once"),
        ]

    def __str__(self) -> str:
        return f"{self.visit} · {self.user}"
