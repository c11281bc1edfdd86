"""Deliveries (서비스 제공 기록): what a household actually received, from whom, when, how
much; and redundancy flags (중복 지원 알림) between providers.

A delivery belongs to the household (people.Household) and, when it was given as part of
case management, to the case. Its kind is a need domain of the case track, optionally
narrowed to a directory service. Two deliveries of the same kind to one household by
different providers in overlapping periods raise a flag to each provider (one row per
provider, written by cases.deliveries.delivery_record in the same transaction).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bokjihub.cases.models.assessment import NeedDomain


class Delivery(models.Model):
    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, related_name="deliveries"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    domain = models.CharField(max_length=20, choices=NeedDomain.choices)
    service = models.ForeignKey(
        "directory.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="deliveries"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="empty: still ongoing")
    amount_krw = models.BigIntegerField(null=True, blank=True, help_text="금액 (원)")
    units = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    unit_label = models.CharField(max_length=20, blank=True, help_text="회, 개, 시간, kg …")
    description = models.CharField(max_length=200, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recording_organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="delivery_period_ordered",
            ),
            # what was given must be said: an amount, or a number of units with their unit
            models.CheckConstraint(
                condition=models.Q(amount_krw__isnull=False)
                | models.Q(units__isnull=False) & ~models.Q(unit_label=""),
                name="delivery_has_amount_or_units",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_krw__isnull=True) | models.Q(amount_krw__gte=0),
                name="delivery_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(units__isnull=True) | models.Q(units__gt=0),
                name="delivery_units_positive",
            ),
        ]
        indexes = [
            # delivery_record's overlap search and the gap list's "a delivery of this
            # domain to this household": one household, one domain
            models.Index(
                fields=["household", "domain", "starts_on"], name="delivery_household_idx"
            ),
            # the case page: deliveries of one case
            models.Index(fields=["case", "starts_on"], name="delivery_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()} · {self.provider} ({self.starts_on})"


class RedundancyStatus(models.TextChoices):
    OPEN = "open", _("확인 필요")
    RESOLVED = "resolved", _("확인 완료")


class RedundancyFlag(models.Model):
    """One provider's view of an overlap: its own delivery and the other provider's."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="redundancy_flags"
    )
    delivery = models.ForeignKey(
        Delivery, on_delete=models.PROTECT, related_name="redundancy_flags"
    )
    other_delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=RedundancyStatus.choices, default=RedundancyStatus.OPEN
    )
    flagged_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["flagged_at", "id"]
        constraints = [
            # recording the same pair again (or the other side of it) adds no second flag
            models.UniqueConstraint(
                fields=["delivery", "other_delivery"], name="redundancy_flag_pair_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(delivery=models.F("other_delivery")),
                name="redundancy_flag_not_self",
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", resolved_at__isnull=True)
                | models.Q(status="resolved", resolved_at__isnull=False),
                name="redundancy_flag_resolved_at_matches_status",
            ),
        ]
        indexes = [
            # the redundancy page: open flags of one organisation, oldest first
            models.Index(
                fields=["organisation", "flagged_at"],
                condition=models.Q(status="open"),
                name="redundancy_flag_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"중복 지원 알림 {self.pk} ({self.organisation})"
