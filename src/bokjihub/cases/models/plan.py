"""The service plan (서비스 계획) of a case: goals per need domain.

One plan per case, saved whole with an optimistic lock (version): a save names the
version it was edited from and is refused if someone saved in between. Goals are never
updated in place: each save writes the goals under the plan's new version, so the
history of the plan is the goals of earlier versions.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bokjihub.cases.models.assessment import NeedDomain


class CasePlan(models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="plan")
    version = models.PositiveIntegerField(default=0, help_text="0 until first saved")
    saved_at = models.DateTimeField(null=True, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.case} 계획 v{self.version}"


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("진행")
    ACHIEVED = "achieved", _("달성")
    DROPPED = "dropped", _("중단")


class PlanGoal(models.Model):
    plan = models.ForeignKey(CasePlan, on_delete=models.PROTECT, related_name="goals")
    plan_version = models.PositiveIntegerField(help_text="the plan version this goal belongs to")
    domain = models.CharField(max_length=20, choices=NeedDomain.choices)
    goal = models.TextField()
    responsible_organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    # Placeholder until the services issue brings the directory of services and
    # resources: then this becomes links to directory entries (and referrals). Free text
    # for now ("노인맞춤돌봄서비스, 푸드뱅크 월 1회").
    resources = models.TextField(blank=True)
    review_on = models.DateField()
    status = models.CharField(max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["plan", "plan_version", "domain", "id"]
        indexes = [
            # the current goals of a plan; two_track_indicators' "has a goal by day N"
            models.Index(fields=["plan", "plan_version"], name="plan_goal_version_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.goal[:30]}"
