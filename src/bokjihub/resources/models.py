"""Donors and what they give, waiting needs, micro-campaigns, recognition, and the saved
runs of the fair allocation of a Si/Gun/Gu's pooled resources (issue 6, items 5 and 6).

Everything belongs to one Si/Gun/Gu: the Hope Welfare Supporters (희망복지지원단) of the Gu
pool the resources, and a Dong appears as where a donor lives, where a need waits, or a
donor's restriction."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class DonorKind(models.TextChoices):
    PERSON = "person", _("개인")
    BUSINESS = "business", _("기업·상점")
    RELIGIOUS = "religious", _("종교단체")
    PUBLIC_BODY = "public_body", _("공공기관")


class TargetGroup(models.TextChoices):
    CHILDREN = "children", _("아동·청소년")
    ELDERLY = "elderly", _("어르신")
    DISABLED = "disabled", _("장애인")
    SINGLE_PARENT = "single_parent", _("한부모가족")
    OTHER = "other", _("그 밖의 위기가구")


class ResourceKind(models.TextChoices):
    CASH = "cash", _("현금")
    IN_KIND = "in_kind", _("현물")
    VOLUNTEER_SERVICE = "volunteer_service", _("자원봉사")
    EDUCATION = "education", _("교육·학습")


# The unit in which a need of each kind is counted and allocated: money and goods by their
# value in KRW (a uniform and a bag of rice are not interchangeable by count but are by
# the donor's stated value), services by hours and sessions.
ALLOCATION_UNIT = {
    ResourceKind.CASH: _("원"),
    ResourceKind.IN_KIND: _("원 상당"),
    ResourceKind.VOLUNTEER_SERVICE: _("시간"),
    ResourceKind.EDUCATION: _("회"),
}
VALUE_COUNTED_KINDS = frozenset({ResourceKind.CASH, ResourceKind.IN_KIND})


class Donor(models.Model):
    """A person, business, religious organisation or public body that gives. Its
    restrictions bind every resource it gives: only to one Dong (else the whole Gu), only
    to one target group, only one kind."""

    sigungu = models.ForeignKey("regions.Sigungu", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=DonorKind.choices)
    home_emd = models.ForeignKey(
        "regions.EupMyeonDong",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="the Dong the donor lives or works in; empty for a Gu-wide donor",
    )
    allowed_emd = models.ForeignKey(
        "regions.EupMyeonDong",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="give only in this Dong; empty: anywhere in the Gu",
    )
    allowed_group = models.CharField(
        max_length=20, choices=TargetGroup.choices, blank=True, help_text="empty: any group"
    )
    allowed_kind = models.CharField(
        max_length=20, choices=ResourceKind.choices, blank=True, help_text="empty: any kind"
    )
    registered_by = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="registered_donors"
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sigungu", "name"], name="donor_name_per_sigungu"),
        ]

    def __str__(self) -> str:
        return self.name


class Resource(models.Model):
    """What a donor gave and an organisation holds: money, goods (with expiry), volunteer
    hours or education sessions. ``allocatable`` is its amount in the kind's unit."""

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="resources")
    sigungu = models.ForeignKey("regions.Sigungu", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ResourceKind.choices)
    description = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    unit = models.CharField(max_length=20, help_text="개, 포, 벌, 시간, 회, 원 …")
    value_krw = models.PositiveBigIntegerField(default=0)
    received_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    held_by = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="held_resources"
    )
    emd = models.ForeignKey(
        "regions.EupMyeonDong",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="where it is kept",
    )

    class Meta:
        ordering = ["expires_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="resource_quantity_positive"),
            models.CheckConstraint(
                condition=~Q(kind__in=["cash", "in_kind"]) | Q(value_krw__gt=0),
                name="resource_money_and_goods_have_value",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("received_on")),
                name="resource_expires_after_receipt",
            ),
        ]
        indexes = [
            # The inventory page: a Gu's items, expiring soonest first.
            models.Index(fields=["sigungu", "expires_on"], name="resource_gu_expiry_idx"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def allocatable(self) -> int:
        return self.value_krw if self.kind in VALUE_COUNTED_KINDS else self.quantity


class NeedStatus(models.TextChoices):
    WAITING = "waiting", _("대기")
    ALLOCATED = "allocated", _("배분 결정")
    FULFILLED = "fulfilled", _("지원 완료")


class WaitingNeed(models.Model):
    """A need waiting for a resource, counted in its kind's unit (ALLOCATION_UNIT). It may
    come from a case; the need itself names no person, so it can be pooled Gu-wide."""

    sigungu = models.ForeignKey("regions.Sigungu", on_delete=models.PROTECT, related_name="+")
    emd = models.ForeignKey("regions.EupMyeonDong", on_delete=models.PROTECT, related_name="+")
    target_group = models.CharField(max_length=20, choices=TargetGroup.choices)
    kind = models.CharField(max_length=20, choices=ResourceKind.choices)
    quantity = models.PositiveIntegerField()
    weight = models.PositiveSmallIntegerField(help_text="1 (low) to 5 (urgent)")
    description = models.CharField(max_length=200)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=NeedStatus.choices, default=NeedStatus.WAITING)
    recorded_by = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-weight", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="need_quantity_positive"),
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=5), name="need_weight_1_to_5"
            ),
        ]
        indexes = [
            # allocation_run: the waiting needs of a Gu.
            models.Index(
                fields=["sigungu"],
                condition=Q(status="waiting"),
                name="need_waiting_per_gu_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("모금 중")
    COMPLETED = "completed", _("목표 달성")
    CLOSED = "closed", _("마감")


class MicroCampaign(models.Model):
    """A small campaign for one concrete need ("교복 12벌"), in the spirit of Busan Nam-gu's
    Hope Link: residents give small amounts until the target is met."""

    sigungu = models.ForeignKey("regions.Sigungu", on_delete=models.PROTECT, related_name="+")
    emd = models.ForeignKey(
        "regions.EupMyeonDong", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="campaigns"
    )
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    target_group = models.CharField(max_length=20, choices=TargetGroup.choices)
    target_quantity = models.PositiveIntegerField()
    unit = models.CharField(max_length=20)
    target_amount_krw = models.PositiveBigIntegerField(null=True, blank=True)
    deadline = models.DateField()
    status = models.CharField(
        max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    opened_on = models.DateField()

    class Meta:
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_quantity__gt=0), name="campaign_target_positive"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("opened_on")), name="campaign_deadline_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Pledge(models.Model):
    campaign = models.ForeignKey(MicroCampaign, on_delete=models.PROTECT, related_name="pledges")
    donor = models.ForeignKey(
        Donor, null=True, blank=True, on_delete=models.PROTECT, related_name="pledges"
    )
    pledger_name = models.CharField(max_length=120, help_text="as the pledger wants to be named")
    quantity = models.PositiveIntegerField(default=0)
    amount_krw = models.PositiveBigIntegerField(default=0)
    pledged_on = models.DateField()

    class Meta:
        ordering = ["pledged_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) | Q(amount_krw__gt=0), name="pledge_gives_something"
            ),
        ]

    def __str__(self) -> str:
        return self.pledger_name


class RecognitionKind(models.TextChoices):
    CITATION = "citation", _("표창")
    LETTER_OF_THANKS = "letter_of_thanks", _("감사장")
    PLAQUE = "plaque", _("감사패")


class Recognition(models.Model):
    """A citation, letter of thanks or plaque for a sponsor or volunteer. The field study
    heard that sponsors value a mayor's citation more than a centre's."""

    sigungu = models.ForeignKey("regions.Sigungu", on_delete=models.PROTECT, related_name="+")
    donor = models.ForeignKey(
        Donor, null=True, blank=True, on_delete=models.PROTECT, related_name="recognitions"
    )
    recipient_name = models.CharField(
        max_length=120, blank=True, help_text="a volunteer who is not a registered donor"
    )
    kind = models.CharField(max_length=20, choices=RecognitionKind.choices)
    awarded_on = models.DateField()
    reason = models.CharField(max_length=300)
    awarded_by = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-awarded_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(donor__isnull=False) | ~Q(recipient_name=""),
                name="recognition_names_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.recipient}"

    @property
    def recipient(self) -> str:
        return self.donor.name if self.donor_id else self.recipient_name


class AllocationRun(models.Model):
    """One saved run of the fair allocation: who ran it, when, with which parameters, and
    the equity of its result beside the baseline (each Dong keeps its own donors)."""

    sigungu = models.ForeignKey("regions.Sigungu", on_delete=models.PROTECT, related_name="+")
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    ran_at = models.DateTimeField()
    floor_slack = models.FloatField(help_text="how far below the best minimum the floor may be")
    needs = models.PositiveIntegerField()
    resources = models.PositiveIntegerField()
    solve_s = models.FloatField()
    equity_floor = models.FloatField()
    min_coverage = models.FloatField()
    baseline_min_coverage = models.FloatField()
    gini = models.FloatField()
    baseline_gini = models.FloatField()
    weighted_coverage = models.FloatField()
    baseline_weighted_coverage = models.FloatField()

    class Meta:
        ordering = ["-ran_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(floor_slack__gte=0) & Q(floor_slack__lte=1),
                name="allocation_floor_slack_0_to_1",
            ),
        ]

    def __str__(self) -> str:
        return _("배분 %(when)s") % {"when": f"{self.ran_at:%Y-%m-%d %H:%M}"}


class AllocationDong(models.Model):
    """The need-weighted coverage of one Dong in a run, optimised and baseline."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="dongs")
    emd = models.ForeignKey("regions.EupMyeonDong", on_delete=models.PROTECT, related_name="+")
    needs = models.PositiveIntegerField()
    need_weight = models.PositiveIntegerField()
    coverage = models.FloatField()
    baseline_coverage = models.FloatField()

    class Meta:
        ordering = ["coverage", "emd__name_ko"]
        constraints = [
            models.UniqueConstraint(fields=["run", "emd"], name="allocation_dong_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.emd_id}: {self.coverage:.3f}"


class AllocationLine(models.Model):
    """How much of a resource a run gives to a waiting need (in the kind's unit)."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="lines")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="+")
    need = models.ForeignKey(WaitingNeed, on_delete=models.PROTECT, related_name="+")
    quantity = models.FloatField()

    class Meta:
        ordering = ["need__emd__name_ko", "-need__weight", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="allocation_line_positive"),
            models.UniqueConstraint(
                fields=["run", "resource", "need"], name="allocation_line_once_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} → {self.need_id}: {self.quantity}"
