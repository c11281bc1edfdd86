"""Unmet needs (미충족 욕구): what no programme, law or capacity could meet, recorded
with a reason so that they add up, per Si/Gun/Gu, to evidence for the community
social-security plan (지역사회보장계획)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bokjihub.cases.models.assessment import NeedDomain


class UnmetNeedReason(models.TextChoices):
    NO_PROGRAMME = "no_programme", _("해당 사업·자원 없음")
    NOT_ELIGIBLE = "not_eligible", _("현행 법·제도상 자격 미달")
    NO_CAPACITY = "no_capacity", _("정원 초과·대기")
    OTHER = "other", _("기타")


class UnmetNeed(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="unmet_needs")
    # Copied from the household's address when recorded, so the aggregate stays by the
    # Si/Gun/Gu where the need arose even if the household moves later.
    sigungu = models.ForeignKey("regions.Sigungu", on_delete=models.PROTECT, related_name="+")
    domain = models.CharField(max_length=20, choices=NeedDomain.choices)
    reason = models.CharField(max_length=20, choices=UnmetNeedReason.choices)
    description = models.TextField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            # unmet_needs_by_sigungu: one Si/Gun/Gu over a period
            models.Index(fields=["sigungu", "recorded_at"], name="unmet_need_sigungu_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()} · {self.get_reason_display()}"
