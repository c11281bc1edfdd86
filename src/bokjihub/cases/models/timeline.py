"""Notes (사례 기록) with visibility, and the append-only timeline of the case.

CaseEvent rows are written by cases.events, called from the services — never by signals
or save() — and never updated: the timeline is how time-to-support and the two-track
indicators are computed, and how a successor reads a rotated worker's case.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoteVisibility(models.TextChoices):
    OWN_ORGANISATION = "own_organisation", _("우리 기관만")
    PARTICIPANTS = "participants", _("사례 참여기관")
    PUBLIC_SECTOR = "public_sector", _("공공 부문만")


class CaseNote(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    visibility = models.CharField(max_length=20, choices=NoteVisibility.choices)
    body = models.TextField()
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["written_at", "id"]
        indexes = [models.Index(fields=["case", "written_at"], name="case_note_case_idx")]

    def __str__(self) -> str:
        return f"{self.case} 기록 {self.pk}"


class CaseEventKind(models.TextChoices):
    OPENED = "opened", _("사례 개시")
    JOINED = "joined", _("참여기관 합류")
    STAGE_CHANGED = "stage_changed", _("단계 변경")
    LEVEL_CHANGED = "level_changed", _("사례관리 수준 변경")
    ASSESSED = "assessed", _("욕구·위기도 사정")
    PLAN_SAVED = "plan_saved", _("서비스 계획 저장")
    CONFERENCE_SCHEDULED = "conference_scheduled", _("사례회의 상정")
    DECISION = "decision", _("사례회의 결정")
    TASK_DONE = "task_done", _("할 일 완료")
    VISIT_PLANNED = "visit_planned", _("방문 예정")
    VISIT_RECORDED = "visit_recorded", _("방문 기록")
    REFERRAL = "referral", _("의뢰")
    NOTE = "note", _("사례 기록")
    UNMET_NEED = "unmet_need", _("미충족 욕구 기록")
    MANAGER_CHANGED = "manager_changed", _("담당자 변경(인수인계)")
    CLOSED = "closed", _("종결")
    REOPENED = "reopened", _("재개")
    DELIVERY_RECORDED = "delivery_recorded", _("서비스 제공 기록")
    REDUNDANCY_FLAGGED = "redundancy_flagged", _("중복 지원 알림")
    REDUNDANCY_RESOLVED = "redundancy_resolved", _("중복 지원 확인")


class CaseEvent(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=24, choices=CaseEventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage_from = models.CharField(max_length=12, blank=True)
    stage_to = models.CharField(max_length=12, blank=True)
    # A short line for the timeline. Never the body of a note (that follows the note's
    # visibility) and no data of the household beyond what the event itself is.
    summary = models.CharField(max_length=300, blank=True)
    note = models.ForeignKey(
        CaseNote, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    handover = models.ForeignKey(
        "cases.CaseHandover", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["case", "at"], name="case_event_case_idx"),
            # two_track_indicators: "reached in service in the month"
            models.Index(fields=["kind", "stage_to", "at"], name="case_event_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"
