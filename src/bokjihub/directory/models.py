"""The directory of services and resources, shaped after Open Referral HSDS 3.x.

Field names follow HSDS where the concept is the same (name, description,
eligibility_description, application_process, minimum_age, maximum_age, status); the
rest (situation, benefit, need domains, capacity) are the Korean field's own.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ServiceKind(models.TextChoices):
    PUBLIC_BENEFIT = "public_benefit", _("공공 급여·서비스")
    LOCAL_PROGRAMME = "local_programme", _("민간 기관 프로그램")
    COMMUNITY_RESOURCE = "community_resource", _("지역사회 자원")


class NeedDomain(models.TextChoices):
    """The booklet's chapters, which are also the need domains a worker searches by."""

    LIVELIHOOD = "livelihood", _("생계")
    EMPLOYMENT = "employment", _("취업")
    PREGNANCY_CHILDCARE = "pregnancy_childcare", _("임신·보육")
    YOUTH = "youth", _("청소년·청년")
    HEALTH = "health", _("보건의료")
    OLD_AGE = "old_age", _("노령")
    DISABILITY = "disability", _("장애인")
    VETERANS = "veterans", _("보훈")
    LEGAL_FINANCE = "legal_finance", _("법률·금융")
    CRISIS_OTHER = "crisis_other", _("기타 위기·상황")
    HOUSING = "housing", _("주거")
    EDUCATION = "education", _("교육")
    CARE = "care", _("돌봄")


class HouseholdType(models.TextChoices):
    SINGLE_PERSON = "single_person", _("1인 가구")
    OLDER_PERSON = "older_person", _("노인 가구")
    SINGLE_PARENT = "single_parent", _("한부모가족")
    GRANDPARENT_GRANDCHILD = "grandparent_grandchild", _("조손가족")
    MULTICULTURAL = "multicultural", _("다문화가족")
    DISABILITY = "disability", _("장애인 가구")
    WITH_CHILDREN = "with_children", _("자녀 양육 가구")


class ServiceStatus(models.TextChoices):
    # HSDS 3.x service.status values
    ACTIVE = "active", _("운영 중")
    INACTIVE = "inactive", _("중단")
    DEFUNCT = "defunct", _("폐지")
    TEMPORARILY_CLOSED = "temporarily closed", _("일시 중단")


class Service(models.Model):
    # The HSDS id (a UUID); booklet services get a uuid5 of their key so reloads and
    # exports are stable across databases.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=ServiceKind.choices)
    status = models.CharField(
        max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    situation = models.CharField(max_length=200, blank=True, help_text="상황 (booklet 중분류)")
    eligibility_description = models.TextField(blank=True, help_text="대상")
    benefit = models.TextField(blank=True, help_text="지원 내용")
    application_process = models.TextField(blank=True, help_text="신청 방법")
    contact = models.TextField(blank=True, help_text="문의")
    # Space-delimited codes with a space at each end (" livelihood health "), so that one
    # `contains` filter finds a code on SQLite and PostgreSQL alike; see tagged().
    need_domains = models.CharField(max_length=300, blank=True, help_text="NeedDomain codes")
    household_types = models.CharField(max_length=300, blank=True, help_text="HouseholdType codes")
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    # Public benefits have no single provider; local programmes and resources do.
    provider = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directory_services",
    )
    # Empty means nationwide.
    emds = models.ManyToManyField(
        "regions.EupMyeonDong", blank=True, related_name="directory_services"
    )
    # Where a local programme is delivered or applied for (a public benefit has none: it
    # is applied for at any Dong centre).
    address = models.CharField(max_length=200, blank=True, help_text="이용 장소 (주소)")
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="정원 (자리 수)")
    waiting_list = models.PositiveIntegerField(null=True, blank=True, help_text="대기 인원")
    capacity_confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="정원·대기 인원을 제공기관이 마지막으로 확인한 때"
    )
    source = models.CharField(max_length=200, blank=True, help_text="출처 (자료 이름)")
    source_key = models.CharField(
        max_length=200, blank=True, help_text="출처 안의 키 (booklet: service_id)"
    )
    source_page = models.PositiveIntegerField(null=True, blank=True)
    last_modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=models.F("maximum_age")),
                name="directory_service_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def need_domain_list(self) -> list[str]:
        return self.need_domains.split()

    @property
    def household_type_list(self) -> list[str]:
        return self.household_types.split()


def tagged(codes: list[str]) -> str:
    """The stored form of a list of codes: sorted, deduplicated, space-delimited."""
    return f" {' '.join(sorted(set(codes)))} " if codes else ""
