"""Organisations, their staff and the networks that bind them.

A person logs in as a User and works through a Membership: the organisation and the role
decide what they may see (see bokjihub.people.access). One user may hold several
memberships (a Gu officer who also sits on the council) and picks one per session.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff login. Personal data of households is never stored here."""

    display_name = models.CharField(max_length=60, blank=True)
    # Bumped by the orgs services whenever the user's roles or status change; a session
    # keeps the value it was opened with and ends when it no longer matches
    # (core.middleware.SessionSecurityMiddleware), so a removed role stops at once.
    authorisation_version = models.PositiveIntegerField(default=0, editable=False)

    def __str__(self) -> str:
        return self.display_name or self.username


class Sector(models.TextChoices):
    PUBLIC = "public", _("공공")
    PRIVATE = "private", _("민간 복지기관")
    PARTNER = "partner", _("협력기관")
    CIVIC = "civic", _("지역사회 단체")


class OrganisationKind(models.TextChoices):
    # public offices at each level
    SIDO_OFFICE = "sido_office", _("시·도청")
    SIGUNGU_OFFICE = "sigungu_office", _("시·군·구청")
    EMD_CENTRE = "emd_centre", _("읍·면·동 행정복지센터")
    # private welfare organisations
    COMMUNITY_WELFARE_CENTRE = "community_welfare_centre", _("종합사회복지관")
    SENIOR_WELFARE_CENTRE = "senior_welfare_centre", _("노인복지관")
    DISABILITY_WELFARE_CENTRE = "disability_welfare_centre", _("장애인복지관")
    MULTICULTURAL_FAMILY_CENTRE = "multicultural_family_centre", _("가족센터(다문화가족지원센터)")
    YOUTH_COUNSELLING_CENTRE = "youth_counselling_centre", _("청소년상담복지센터")
    LOCAL_CHILDREN_CENTRE = "local_children_centre", _("지역아동센터")
    SELF_SUFFICIENCY_CENTRE = "self_sufficiency_centre", _("지역자활센터")
    WELFARE_FOUNDATION = "welfare_foundation", _("복지재단")
    COMMUNITY_CHEST = "community_chest", _("사회복지공동모금회")
    # partner agencies
    ELECTRICITY = "electricity", _("전력(한국전력공사)")
    WATER = "water", _("상수도사업본부")
    GAS = "gas", _("도시가스")
    HEALTH_INSURANCE = "health_insurance", _("국민건강보험공단")
    EMPLOYMENT_CENTRE = "employment_centre", _("고용복지플러스센터")
    OFFICE_OF_EDUCATION = "office_of_education", _("교육지원청")
    POLICE = "police", _("경찰서")
    HOSPITAL = "hospital", _("병원")
    HEALTH_CENTRE = "health_centre", _("보건소")
    # civic groups
    VOLUNTEER_GROUP = "volunteer_group", _("자원봉사단체")
    RELIGIOUS_ORGANISATION = "religious_organisation", _("종교단체")
    RESIDENT_ORGANISATION = "resident_organisation", _("주민조직")
    BUSINESS = "business", _("기업·상점")


SECTOR_OF_KIND: dict[str, str] = {
    **dict.fromkeys(["sido_office", "sigungu_office", "emd_centre"], Sector.PUBLIC),
    **dict.fromkeys(
        [
            "community_welfare_centre",
            "senior_welfare_centre",
            "disability_welfare_centre",
            "multicultural_family_centre",
            "youth_counselling_centre",
            "local_children_centre",
            "self_sufficiency_centre",
            "welfare_foundation",
            "community_chest",
        ],
        Sector.PRIVATE,
    ),
    **dict.fromkeys(
        [
            "electricity",
            "water",
            "gas",
            "health_insurance",
            "employment_centre",
            "office_of_education",
            "police",
            "hospital",
            "health_centre",
        ],
        Sector.PARTNER,
    ),
    **dict.fromkeys(
        ["volunteer_group", "religious_organisation", "resident_organisation", "business"],
        Sector.CIVIC,
    ),
}


class Organisation(models.Model):
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=40, choices=OrganisationKind.choices)
    sector = models.CharField(max_length=10, choices=Sector.choices, editable=False)
    # The region the organisation belongs to. A public office's jurisdiction is derived
    # from it (its Dong, its Gu, its Do); other organisations declare a service area.
    sido = models.ForeignKey("regions.Sido", on_delete=models.PROTECT, related_name="organisations")
    sigungu = models.ForeignKey(
        "regions.Sigungu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    emd = models.ForeignKey(
        "regions.EupMyeonDong",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    service_area = models.ManyToManyField(
        "regions.EupMyeonDong",
        blank=True,
        related_name="serving_organisations",
        help_text="the Eup/Myeon/Dong this organisation serves",
    )
    phone = models.CharField(max_length=30, blank=True)
    address = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "sigungu"], name="organisation_name_per_sigungu_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="emd_centre") | models.Q(emd__isnull=False),
                name="emd_centre_has_emd",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="sigungu_office") | models.Q(sigungu__isnull=False),
                name="sigungu_office_has_sigungu",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    WELFARE_OFFICER = "welfare_officer", _("복지 담당 공무원")
    WELFARE_COORDINATOR = "welfare_coordinator", _("맞춤형복지팀 코디네이터")
    CASE_MANAGER = "case_manager", _("통합사례관리사")
    PRIVATE_SOCIAL_WORKER = "private_social_worker", _("민간 사회복지사")
    CENTRE_MANAGER = "centre_manager", _("기관장·팀장")
    FINDER = "finder", _("명예사회복지공무원(발굴단)")
    DATA_OPERATOR = "data_operator", _("자료 제공 담당자")
    COUNCIL_SECRETARY = "council_secretary", _("협의체 간사")
    ANALYST = "analyst", _("분석 담당자")
    AUDITOR = "auditor", _("개인정보 감사 담당자")
    SYSTEM_ADMINISTRATOR = "system_administrator", _("시스템 관리자")


class Membership(models.Model):
    """A user's role at an organisation; the unit of authorisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    title = models.CharField(max_length=60, blank=True, help_text="job title as printed on a card")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_membership_per_user_org_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class MembershipEventKind(models.TextChoices):
    GRANTED = "granted", _("역할 부여")
    ENDED = "ended", _("역할 종료")
    USER_DEACTIVATED = "user_deactivated", _("계정 사용 중지")


class MembershipEvent(models.Model):
    """Who was given or lost which role where, by whom and when (권한 부여·변경·말소 이력).

    Append-only: written only by the orgs services, refused UPDATE and DELETE by the
    database (migration 0003). The access-control rules for personal data information
    systems ask for this history to be kept at least three years; nothing here deletes
    it, and the PROTECT keys stop a user, organisation or membership with history from
    being deleted (staff leave by deactivation).
    """

    kind = models.CharField(max_length=20, choices=MembershipEventKind.choices)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="membership_events")
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=30, choices=Role.choices, blank=True)
    effective_on = models.DateField(help_text="the membership's start or end date")
    # null: a command, migration or the demo, not a person
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [
            # a user's role history, newest first (admin and access review)
            models.Index(fields=["user", "-recorded_at"], name="membership_event_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recorded_at:%Y-%m-%d} {self.get_kind_display()} · {self.user}"


class NetworkKind(models.TextChoices):
    NETWORK = "network", _("협력 네트워크")
    MOU = "mou", _("업무협약(MOU)")
    COUNCIL = "council", _("지역사회보장협의체")


class Network(models.Model):
    """A network, MOU or council linking organisations (e.g. a Hope Welfare Network of 18)."""

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=NetworkKind.choices)
    sigungu = models.ForeignKey("regions.Sigungu", null=True, blank=True, on_delete=models.PROTECT)
    purpose = models.TextField(blank=True)
    signed_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    members = models.ManyToManyField(Organisation, through="NetworkMember", related_name="networks")

    def __str__(self) -> str:
        return self.name


class NetworkMember(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organisation"], name="network_member_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network} · {self.organisation}"
