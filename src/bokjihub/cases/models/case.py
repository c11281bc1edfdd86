"""Cases (사례): the supporting track. This is the minimal record the finding track opens
when a need is confirmed; assessment, plans, conferences and visits come with the
case-management issue."""

from django.conf import settings
from django.db import models


class CaseStatus(models.TextChoices):
    OPEN = "open", "진행 중"
    CLOSED = "closed", "종결"


class CaseOutcome(models.TextChoices):
    GOALS_MET = "goals_met", "목표 달성"
    MOVED_AWAY = "moved_away", "전출"
    DECEASED = "deceased", "사망"
    REFUSED = "refused", "서비스 거부"
    TRANSFERRED = "transferred", "이관"


class Case(models.Model):
    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, related_name="cases"
    )
    lead_organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="led_cases"
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_cases",
    )
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    summary = models.TextField(blank=True, help_text="what the finding track confirmed")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=CaseOutcome.choices, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            # At most one open case per household: a second organisation joins the open
            # case instead of opening its own (the "overlapping territories" of the field study).
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(status="open"),
                name="one_open_case_per_household",
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", closed_at__isnull=True)
                | models.Q(status="closed", closed_at__isnull=False),
                name="case_closed_at_matches_status",
            ),
        ]
        indexes = [models.Index(fields=["status", "closed_at"], name="case_status_closed_idx")]

    def __str__(self) -> str:
        return f"사례 {self.pk}"
