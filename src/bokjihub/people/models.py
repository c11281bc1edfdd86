"""Households (가구) and persons (대상자).

The resident registration number (RRN) exists here only as AES-GCM ciphertext with the id
of the key that wrote it, plus an HMAC blind index for exact lookup. What may be shown
(birth date part and the sex digit, "900101-1******") is kept beside it so that lists
never need to decrypt. Reads go through bokjihub.people.access, never straight to these
models from a view.
"""

import secrets

from django.db import models


def new_household_reference() -> str:
    # URLs carry an unguessable reference, not the row id, so that ids cannot be walked.
    return secrets.token_hex(8)


class HouseholdType(models.TextChoices):
    SINGLE_ELDERLY = "single_elderly", "독거노인"
    ELDERLY_COUPLE = "elderly_couple", "노인부부"
    SINGLE_PARENT = "single_parent", "한부모"
    GRANDPARENT_GRANDCHILD = "grandparent_grandchild", "조손"
    MULTICULTURAL = "multicultural", "다문화"
    WITH_DISABILITY = "with_disability", "장애인 가구"
    YOUNG_SINGLE = "young_single", "청년 1인"
    FAMILY = "family", "일반 가족"
    OTHER_SINGLE = "other_single", "기타 1인"


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

    class Meta:
        indexes = [
            # household search filters by the actor's Dongs first
            models.Index(fields=["emd", "road_address"], name="household_emd_address_idx"),
        ]

    def __str__(self) -> str:
        return f"가구 {self.reference}"


class Sex(models.TextChoices):
    MALE = "M", "남"
    FEMALE = "F", "여"


class RelationToHead(models.TextChoices):
    HEAD = "head", "세대주"
    SPOUSE = "spouse", "배우자"
    CHILD = "child", "자녀"
    PARENT = "parent", "부모"
    GRANDCHILD = "grandchild", "손자녀"
    GRANDPARENT = "grandparent", "조부모"
    SIBLING = "sibling", "형제자매"
    OTHER = "other", "기타 동거인"


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
    SPOUSE = "spouse", "배우자"
    PARENT_OF = "parent_of", "부모"
    CHILD_OF = "child_of", "자녀"
    SIBLING = "sibling", "형제자매"
    GRANDPARENT_OF = "grandparent_of", "조부모"
    GUARDIAN_OF = "guardian_of", "후견인"


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
    the partnership issue narrow it further.
    """

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="engagements"
    )
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="engagements")
    basis = models.CharField(max_length=120, help_text="what the service is, e.g. 밑반찬 배달")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
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
