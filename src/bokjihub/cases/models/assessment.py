"""Needs and crisis-level assessment (욕구·위기도 사정).

Versioned: each assessment is a new row numbered within its case and never edited, so
that change over time is read from the rows themselves (cases.selectors.assessment_history).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NeedDomain(models.TextChoices):
    SAFETY = "safety", _("안전")
    HEALTH = "health", _("건강")
    DAILY_LIVING = "daily_living", _("일상생활 유지")
    FAMILY = "family", _("가족관계")
    SOCIAL_RELATIONS = "social_relations", _("사회적 관계")
    ECONOMY = "economy", _("경제")
    EMPLOYMENT = "employment", _("직업")
    EDUCATION = "education", _("교육")
    HOUSING = "housing", _("주거")
    LEGAL = "legal", _("법률 및 권익보장")
    CARE = "care", _("돌봄")


class CrisisLevel(models.TextChoices):
    # The integrated case-management guideline's three levels plus "emergency" (긴급),
    # which sends the case to emergency aid before any plan.
    GENERAL = "general", _("일반")
    CRISIS = "crisis", _("위기")
    HIGH_CRISIS = "high_crisis", _("고위기")
    EMERGENCY = "emergency", _("긴급")


class NeedSeverity(models.IntegerChoices):
    NONE = 0, _("욕구 없음")
    LOW = 1, _("낮음")
    MEDIUM = 2, _("보통")
    HIGH = 3, _("높음")


class NeedsAssessment(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="assessments")
    number = models.PositiveSmallIntegerField(help_text="1 for the first assessment of the case")
    crisis_level = models.CharField(max_length=12, choices=CrisisLevel.choices)
    summary = models.TextField(blank=True)
    assessed_at = models.DateTimeField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            # two workers saving an assessment at once cannot both be version n
            models.UniqueConstraint(fields=["case", "number"], name="assessment_number_per_case"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="assessment_number_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.case} 사정 {self.number}차"


class DomainNeed(models.Model):
    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.PROTECT, related_name="needs")
    domain = models.CharField(max_length=20, choices=NeedDomain.choices)
    severity = models.PositiveSmallIntegerField(choices=NeedSeverity.choices)
    observation = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "domain"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="domain_need_once"),
            models.CheckConstraint(
                condition=models.Q(severity__lte=3), name="domain_need_severity_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.get_domain_display()} {self.severity}"
