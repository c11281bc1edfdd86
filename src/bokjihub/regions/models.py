"""The official administrative hierarchy: Si/Do, Si/Gun/Gu, Eup/Myeon/Dong.

Codes change (renamings, mergers, splits), so every row carries a validity interval
[valid_from, valid_to) and rows are never deleted: a household recorded under an old code
keeps pointing at the row that was valid then. `valid_from` is NULL when the row was
already valid at the start of our data (we do not know since when).
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Validity(models.Model):
    valid_from = models.DateField(
        null=True, blank=True, help_text="first day valid; empty = before our data"
    )
    valid_to = models.DateField(
        null=True, blank=True, help_text="first day no longer valid (exclusive)"
    )

    class Meta:
        abstract = True

    @staticmethod
    def valid_on_q(day) -> Q:
        return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )


def validity_constraints(prefix: str) -> list[models.BaseConstraint]:
    """The constraints every dated code table needs, named after the table.

    (code, valid_from) alone does not stop two "since before our data" rows for one code:
    SQL treats NULLs as distinct, so the partial index covers the NULL case (the loader's
    update-or-create looks rows up by exactly this key).
    """
    return [
        models.UniqueConstraint(
            fields=["code", "valid_from"], name=f"{prefix}_code_valid_from_unique"
        ),
        models.UniqueConstraint(
            fields=["code"],
            condition=Q(valid_from__isnull=True),
            name=f"{prefix}_code_undated_unique",
        ),
        models.CheckConstraint(
            condition=Q(valid_from__isnull=True)
            | Q(valid_to__isnull=True)
            | Q(valid_to__gt=F("valid_from")),
            name=f"{prefix}_valid_to_after_valid_from",
        ),
    ]


class Sido(Validity):
    """시·도 (first-level division)."""

    code = models.CharField(max_length=2)
    name_ko = models.CharField(max_length=40)
    name_en = models.CharField(max_length=60, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = validity_constraints("sido")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_ko


class SigunguKind(models.TextChoices):
    AUTONOMOUS_SI = "autonomous_si", _("자치시")
    AUTONOMOUS_GUN = "autonomous_gun", _("군")
    AUTONOMOUS_GU = "autonomous_gu", _("자치구")
    NON_AUTONOMOUS_GU = "non_autonomous_gu", _("일반구(행정구)")
    ADMINISTRATIVE_SI = "administrative_si", _("행정시")  # 제주시, 서귀포시
    SPECIAL_CITY = "special_city", _("특별자치시(단층제)")  # 세종: no lower autonomous tier


AUTONOMOUS_KINDS = (
    SigunguKind.AUTONOMOUS_SI,
    SigunguKind.AUTONOMOUS_GUN,
    SigunguKind.AUTONOMOUS_GU,
)


class HubLevel(models.TextChoices):
    EMD_CENTRE = "emd_centre", _("읍·면·동 행정복지센터")
    SIGUNGU_OFFICE = "sigungu_office", _("시·군·구청")


class Sigungu(Validity):
    """시·군·구, including the non-autonomous 일반구 of the cities that have them."""

    code = models.CharField(max_length=5)
    sido = models.ForeignKey(Sido, on_delete=models.PROTECT, related_name="sigungus")
    name_ko = models.CharField(max_length=40, help_text="short name, e.g. 강동구")
    full_name_ko = models.CharField(
        max_length=80, help_text="with the Si/Do, e.g. 서울특별시 강동구"
    )
    name_en = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=20, choices=SigunguKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="districts",
        help_text="for a 일반구, the city it belongs to",
    )
    is_unit = models.BooleanField(
        default=True,
        help_text="an analysis/service unit (a city with 일반구 is represented by its 구)",
    )
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text="1:1 successor after a recode; empty when split or still valid",
    )
    # A per-region setting, not reference data: reloading the official lists never touches it.
    hub_level = models.CharField(
        max_length=20, choices=HubLevel.choices, default=HubLevel.EMD_CENTRE
    )
    note = models.TextField(blank=True)

    class Meta:
        constraints = validity_constraints("sigungu")
        indexes = [models.Index(fields=["code"], name="sigungu_code_idx")]
        ordering = ["code"]
        verbose_name_plural = "sigungus"

    def __str__(self) -> str:
        return self.full_name_ko

    @property
    def is_autonomous(self) -> bool:
        return self.kind in AUTONOMOUS_KINDS


class EmdKind(models.TextChoices):
    EUP = "eup", _("읍")
    MYEON = "myeon", _("면")
    DONG = "dong", _("동")


class CodeStatus(models.TextChoices):
    OFFICIAL = "official", _("공식 코드")
    DERIVED = "derived", _("규칙으로 추정(미확인)")
    PROVISIONAL = "provisional", _("임시(새 코드 미공개, 이전 코드 사용)")


class EupMyeonDong(Validity):
    """읍·면·동: the administrative dong (행정동) a welfare centre serves."""

    code = models.CharField(max_length=10, help_text="MOIS 10-digit 행정기관코드")
    kostat_code = models.CharField(max_length=8, blank=True, help_text="KOSTAT 8-digit code")
    sigungu = models.ForeignKey(Sigungu, on_delete=models.PROTECT, related_name="emds")
    name_ko = models.CharField(max_length=40)
    name_en = models.CharField(max_length=80, blank=True)
    kind = models.CharField(max_length=5, choices=EmdKind.choices)
    area_km2 = models.FloatField(null=True, blank=True)
    centroid_lat = models.FloatField(null=True, blank=True)
    centroid_lon = models.FloatField(null=True, blank=True)
    code_status = models.CharField(
        max_length=12, choices=CodeStatus.choices, default=CodeStatus.OFFICIAL
    )
    predecessor = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successor",
        help_text="the row this one replaced at a recode",
    )
    note = models.TextField(blank=True)

    class Meta:
        constraints = validity_constraints("emd")
        indexes = [models.Index(fields=["code"], name="emd_code_idx")]
        ordering = ["code"]
        verbose_name = "Eup/Myeon/Dong"
        verbose_name_plural = "Eup/Myeon/Dongs"

    def __str__(self) -> str:
        return self.name_ko


class ReferenceDataset(models.Model):
    """Provenance of each reference file loaded: where it came from, as of when, credit line."""

    name = models.CharField(max_length=80, unique=True)
    source = models.TextField()
    as_of = models.DateField()
    attribution = models.TextField()
    licence = models.CharField(max_length=120)
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.as_of})"
