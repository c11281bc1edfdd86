"""Households (가구) and persons (대상자).

The resident registration number (RRN) exists here only as AES-GCM ciphertext with the id
of the key that wrote it, plus an HMAC blind index for exact lookup. What may be shown
(birth date part and the sex digit, "900101-1******") is kept beside it so that lists
never need to decrypt. Reads go through bokjihub.people.access, never straight to these
models from a view.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_household_reference() -> str:
    # URLs carry an unguessable reference, not the row id, so that ids cannot be walked.
    return secrets.token_hex(8)


class HouseholdType(models.TextChoices):
    SINGLE_ELDERLY = "single_elderly", _("독거노인")
    ELDERLY_COUPLE = "elderly_couple", _("노인부부")
    SINGLE_PARENT = "single_parent", _("한부모")
    GRANDPARENT_GRANDCHILD = "grandparent_grandchild", _("조손")
    MULTICULTURAL = "multicultural", _("다문화")
    WITH_DISABILITY = "with_disability", _("장애인 가구")
    YOUNG_SINGLE = "young_single", _("청년 1인")
    FAMILY = "family", _("일반 가족")
    OTHER_SINGLE = "other_single", _("기타 1인")


class Household(models.Model):
    reference = models.CharField(
        max_length=16, unique=True, default=new_household_reference, editable=False
    )
    emd = models.ForeignKey(
        "regions.EupMyeonDong", on_delete=models.PROTECT, related_name="households"
    )
    road_address = models.CharField(max_length=200, help_text="도로명주소")
    address_detail = models.CharField(max_length=100, blank=True, help_text="동·호수 등 상세주소")
    household_type = models.CharField(
        max_length=30, choices=HouseholdType.choices, default=HouseholdType.FAMILY
    )
    is_basic_livelihood_recipient = models.BooleanField(
        default=False, help_text="국민기초생활보장 수급 가구"
    )
    version = models.PositiveIntegerField(
        default=1, help_text="optimistic lock: bumped by every service write"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    destroyed_at = models.DateTimeField(
        null=True, blank=True, help_text="personal data destroyed under the retention rule"
    )

    class Meta:
        indexes = [
            # household search filters by the actor's Dongs first
            models.Index(fields=["emd", "road_address"], name="household_emd_address_idx"),
        ]

    def __str__(self) -> str:
        return f"가구 {self.reference}"


class Sex(models.TextChoices):
    MALE = "M", _("남")
    FEMALE = "F", _("여")


class RelationToHead(models.TextChoices):
    HEAD = "head", _("세대주")
    SPOUSE = "spouse", _("배우자")
    CHILD = "child", _("자녀")
    PARENT = "parent", _("부모")
    GRANDCHILD = "grandchild", _("손자녀")
    GRANDPARENT = "grandparent", _("조부모")
    SIBLING = "sibling", _("형제자매")
    OTHER = "other", _("기타 동거인")


class Person(models.Model):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(max_length=60)
    birth_date = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    nationality = models.CharField(max_length=2, default="KR", help_text="ISO 3166-1 alpha-2")
    relation_to_head = models.CharField(max_length=12, choices=RelationToHead.choices)
    has_disability = models.BooleanField(default=False, help_text="등록장애인")
    rrn_ciphertext = models.BinaryField(null=True, blank=True, editable=False)
    rrn_key_id = models.CharField(max_length=32, blank=True, editable=False)
    # NULL, not "", for "no RRN": the unique constraint below must not collide on blanks.
    rrn_blind_index = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001
    rrn_front = models.CharField(
        max_length=6, blank=True, editable=False, help_text="birth date part, shown"
    )
    rrn_sex_digit = models.CharField(
        max_length=1, blank=True, editable=False, help_text="7th digit, shown"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # one person per RRN; persons known only by name (an anonymous report) have none
            models.UniqueConstraint(
                fields=["rrn_blind_index"],
                condition=models.Q(rrn_blind_index__isnull=False),
                name="person_rrn_blind_index_unique",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(relation_to_head="head"),
                name="one_head_per_household",
            ),
        ]
        indexes = [
            # household search by name prefix ("김민" → 김민수, 김민지): LIKE 'x%' can use a
            # btree on PostgreSQL only with the pattern opclass (the database collation is
            # not C); SQLite ignores opclasses and gets a plain index.
            models.Index(
                fields=["name"], name="person_name_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
            # household search by the shown part of the RRN ("900101-1******")
            models.Index(fields=["rrn_front", "rrn_sex_digit"], name="person_rrn_front_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def rrn_masked(self) -> str:
        if not self.rrn_front:
            return ""
        return f"{self.rrn_front}-{self.rrn_sex_digit}******"


class PersonRelationKind(models.TextChoices):
    SPOUSE = "spouse", _("배우자")
    PARENT_OF = "parent_of", _("부모")
    CHILD_OF = "child_of", _("자녀")
    SIBLING = "sibling", _("형제자매")
    GRANDPARENT_OF = "grandparent_of", _("조부모")
    GUARDIAN_OF = "guardian_of", _("후견인")


class PersonRelation(models.Model):
    """A family tie across households (a child living elsewhere matters for the
    duty-to-support test of basic livelihood security)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relations")
    relative = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="relations_as_relative"
    )
    kind = models.CharField(max_length=16, choices=PersonRelationKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "relative", "kind"], name="person_relation_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(person=models.F("relative")), name="relation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.get_kind_display()} {self.relative_id}"


class Engagement(models.Model):
    """An organisation serving a household (programme, case participation, referral).

    This is what puts a household inside a private organisation's view; consent rules of
    the partnership issue narrow it further. An engagement says what started it: a consent
    naming the organisation (people.services.consent_record) or a referral it accepted
    (referrals.services); neither for one the organisation recorded itself (a programme,
    joining a case from its page). What started it decides what ends it
    (people.services.consent_withdraw, referrals.services).
    """

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="engagements"
    )
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="engagements")
    basis = models.CharField(max_length=120, help_text="what the service is, e.g. 밑반찬 배달")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    ended_reason = models.CharField(
        max_length=120, blank=True, help_text="why it ended, e.g. 동의 철회 (동의 12)"
    )
    consent = models.ForeignKey(
        "people.Consent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagements",
        help_text="the consent that started it",
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagements",
        help_text="the accepted referral that started it",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent__isnull=True) | models.Q(referral__isnull=True),
                name="engagement_started_by_consent_or_referral_not_both",
            ),
        ]
        indexes = [
            # access scope: "households this organisation serves now"
            models.Index(
                fields=["organisation", "household"],
                condition=models.Q(ended_on__isnull=True),
                name="engagement_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.basis}"


class DataCategory(models.TextChoices):
    """The categories of personal data a consent names and the sharing policy decides on
    (the items of the benefits consent form, grouped)."""

    IDENTITY = "identity", _("인적사항")
    CONTACT = "contact", _("연락처·주소")
    HOUSEHOLD_COMPOSITION = "household_composition", _("가구 구성")
    INCOME_ASSETS = "income_assets", _("소득·재산")
    HEALTH = "health", _("건강")
    DISABILITY = "disability", _("장애")
    CASE_NOTES = "case_notes", _("사례 기록")
    UNIQUE_IDENTIFIER = "unique_identifier", _("고유식별정보(주민등록번호)")


class ConsentMethod(models.TextChoices):
    SIGNED_FORM_SCAN = "signed_form_scan", _("서명한 동의서(스캔)")
    VERBAL_WITH_WITNESS = "verbal_with_witness", _("구두 동의(입회인 있음)")
    ELECTRONIC = "electronic", _("전자 동의")


class Consent(models.Model):
    """A person's consent to give named categories of their data to one recipient.

    PIPA art. 17 and the Social Security Benefits Act require the consent to name the recipient, the
    recipient's purpose, the items, how long the recipient keeps them, and the right to
    refuse with what refusing means. Rows are never deleted: a withdrawal stamps
    withdrawn_at (effective at once) and the history stays for the person's record and
    for audits. Health data (art. 23) and unique identifiers (art. 24) need consents of
    their own; consent_record enforces that.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    recipient_organisation = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents_received",
    )
    recipient_network = models.ForeignKey(
        "orgs.Network",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents_received",
    )
    purpose = models.CharField(max_length=300, help_text="제공받는 자의 이용 목적")
    # A list of DataCategory values. A JSON list rather than a child table: the policy
    # reads a household's few consents and checks categories in Python, never by query.
    categories = models.JSONField(default=list)
    retention_until = models.DateField(help_text="제공받는 자의 보유·이용 기간 (이 날까지)")
    refusal_notice = models.TextField(help_text="동의를 거부할 권리와 거부에 따른 불이익")
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    method = models.CharField(max_length=24, choices=ConsentMethod.choices)
    witness_name = models.CharField(max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recording_organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="consents_recorded"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(recipient_organisation__isnull=False, recipient_network__isnull=True)
                    | models.Q(recipient_organisation__isnull=True, recipient_network__isnull=False)
                ),
                name="consent_recipient_organisation_xor_network",
            ),
            models.CheckConstraint(
                condition=~models.Q(method="verbal_with_witness") | ~models.Q(witness_name=""),
                name="consent_verbal_has_witness",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True)
                | models.Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]
        indexes = [
            # the sharing policy: "consents of these persons" on every household page
            models.Index(fields=["person", "given_at"], name="consent_person_idx"),
        ]

    def __str__(self) -> str:
        return f"동의 {self.id} ({self.person_id})"

    @property
    def recipient(self):
        return self.recipient_organisation or self.recipient_network

    def category_labels(self) -> list[str]:
        return [DataCategory(value).label for value in self.categories]

    def is_active(self, at=None) -> bool:
        """Given, not withdrawn, and inside the recipient's retention period."""
        moment = at or timezone.now()
        if self.given_at > moment:
            return False
        if self.withdrawn_at is not None and self.withdrawn_at <= moment:
            return False
        return timezone.localdate(moment) <= self.retention_until


class IncomeAssessment(models.Model):
    """A means test (소득·재산 조사) by a public office: the household's recognised income
    (소득인정액) and assets. Public-sector data: a private organisation sees it only under
    a consent covering income_assets. `person` names the member it concerns when the
    assessment is of one person; empty means the whole household."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="income_assessments"
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="income_assessments",
    )
    monthly_recognised_income = models.BigIntegerField(help_text="월 소득인정액 (원)")
    assets = models.BigIntegerField(help_text="재산 (원, 부채를 뺀 금액)")
    assessed_on = models.DateField()
    source_organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="income_assessments"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(monthly_recognised_income__gte=0),
                name="income_assessment_income_not_negative",
            ),
        ]
        indexes = [
            # the household page: "latest assessment of this household"
            models.Index(fields=["household", "assessed_on"], name="income_household_idx"),
        ]

    def __str__(self) -> str:
        return f"소득조사 {self.household_id} {self.assessed_on}"
