"""The case (사례) of a household and the organisations working on it.

A household has at most one open case (a partial unique index): a second organisation
joins the open case as a participant instead of opening its own — the "overlapping
territories" of the field study. The stage follows the national process of integrated
case management; the moves allowed between stages are a table in cases.services.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPEN = "open", _("진행 중")
    CLOSED = "closed", _("종결")


class CaseOutcome(models.TextChoices):
    GOALS_MET = "goals_met", _("목표 달성")
    MOVED_AWAY = "moved_away", _("전출")
    DECEASED = "deceased", _("사망")
    REFUSED = "refused", _("서비스 거부")
    TRANSFERRED = "transferred", _("이관")


class CaseLevel(models.TextChoices):
    SIMPLE_REFERRAL = "simple_referral", _("단순 서비스 연계")
    GENERAL = "general", _("일반 사례관리")
    INTENSIVE = "intensive", _("집중 사례관리")


class CaseStage(models.TextChoices):
    INTAKE = "intake", _("접수(초기상담)")
    ASSESSMENT = "assessment", _("욕구·위기도 사정")
    CONFERENCE = "conference", _("사례회의")
    PLANNING = "planning", _("서비스 계획")
    IN_SERVICE = "in_service", _("서비스 제공")
    MONITORING = "monitoring", _("점검(모니터링)")
    CLOSED = "closed", _("종결")


class Case(models.Model):
    # The number people say and write (강동-2026-0123, cases.numbers); the id stays in URLs.
    # Given once by cases.services when the case is created, never changed.
    number = models.CharField(max_length=40, editable=False)
    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, related_name="cases"
    )
    lead_organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="led_cases"
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_cases",
    )
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    level = models.CharField(max_length=20, choices=CaseLevel.choices, default=CaseLevel.GENERAL)
    stage = models.CharField(max_length=12, choices=CaseStage.choices, default=CaseStage.INTAKE)
    stage_entered_at = models.DateTimeField(null=True, blank=True)
    # When the current stage should be done, from the national process (STAGE_DUE_DAYS in
    # cases.services); empty for stages without a deadline (in service, monitoring).
    stage_due_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text="what the finding track confirmed")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=CaseOutcome.choices, blank=True)
    follow_up_on = models.DateField(
        null=True, blank=True, help_text="사후관리 예정일 (종결 후 확인)"
    )
    reopened_count = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["number"], name="case_number_unique"),
            # At most one open case per household: a second organisation joins the open
            # case instead of opening its own (the "overlapping territories" of the field study).
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(status="open"),
                name="one_open_case_per_household",
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", closed_at__isnull=True)
                | models.Q(status="closed", closed_at__isnull=False),
                name="case_closed_at_matches_status",
            ),
            # The stage and the status tell the same story: only a closed case is in the
            # closed stage, and a closed case has an outcome.
            models.CheckConstraint(
                condition=models.Q(status="open") & ~models.Q(stage="closed")
                | models.Q(status="closed", stage="closed") & ~models.Q(outcome=""),
                name="case_stage_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "closed_at"], name="case_status_closed_idx"),
            # cases_overdue and the workload page: open cases by stage deadline
            models.Index(
                fields=["stage_due_at"],
                condition=models.Q(status="open"),
                name="case_open_stage_due_idx",
            ),
            # a worker's caseload and the handover: open cases of one manager
            models.Index(
                fields=["case_manager"],
                condition=models.Q(status="open"),
                name="case_open_manager_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class CaseNumberSequence(models.Model):
    """The last case number given per prefix and year. Opening a case locks its row
    (select_for_update), so two cases opened at once in one Gu never draw the same
    number; case_number_unique catches anything that slips past."""

    prefix = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="case_number_sequence_once"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class ParticipantRole(models.TextChoices):
    LEAD = "lead", _("주관기관")
    PARTICIPANT = "participant", _("참여기관")


class CaseParticipant(models.Model):
    """An organisation working on the case. Rows are kept after an organisation leaves
    (left_at), so that who worked on a household stays on record when staff rotate."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="participants")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="case_participations"
    )
    role = models.CharField(max_length=12, choices=ParticipantRole.choices)
    joined_at = models.DateTimeField()
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation"],
                condition=models.Q(left_at__isnull=True),
                name="case_participant_once_while_active",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(role="lead", left_at__isnull=True),
                name="case_has_one_active_lead",
            ),
        ]
        indexes = [
            # access_case and cases_in_scope: "open participations of this organisation"
            models.Index(
                fields=["organisation", "case"],
                condition=models.Q(left_at__isnull=True),
                name="case_participant_active_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.organisation} ({self.get_role_display()})"


class CaseHandover(models.Model):
    """One handover of a leaving worker's cases (인수인계): who, to whom, why, how many.
    The per-case moves are CaseEvents pointing here."""

    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handovers_given"
    )
    note = models.TextField()
    case_count = models.PositiveIntegerField()
    handed_over_at = models.DateTimeField()
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-handed_over_at", "-id"]

    def __str__(self) -> str:
        return f"인수인계 {self.pk} ({self.from_user}, {self.case_count}건)"
