"""The finding track: reports from every channel, one triage item per subject per hub.

A Report is what somebody told us (never edited after receipt); a TriageItem is the work
of the hub about one subject, holding every report about that subject. Reports about a
subject who already has an open item join it instead of multiplying the officers' work.
Every state change is a TriageEvent written by the services, so time-to-contact and the
found rate are computed from timestamps, never typed in.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("방문·본인 신청")
    NEIGHBOUR = "neighbour", _("이웃 신고")
    FINDER = "finder", _("명예사회복지공무원(발굴단)")
    CALL_CENTRE_129 = "call_centre_129", _("129 보건복지상담센터")
    PARTNER_AGENCY = "partner_agency", _("협력기관")
    PRIVATE_CENTRE = "private_centre", _("민간 복지기관")
    SCREENING = "screening", _("빅데이터 발굴(위기정보)")


class Concern(models.TextChoices):
    INCOME_LOSS = "income_loss", _("소득 상실")
    ARREARS = "arrears", _("체납")
    UTILITIES_CUT_OFF = "utilities_cut_off", _("단전·단수·단가스")
    HEALTH = "health", _("건강 문제")
    DISABILITY = "disability", _("장애")
    CARE_NEEDS = "care_needs", _("돌봄 필요")
    HOUSING = "housing", _("주거 위기")
    CHILD_NEGLECT = "child_neglect", _("아동 방임")
    ISOLATION = "isolation", _("고립·고독사 위험")
    SUICIDE_RISK = "suicide_risk", _("자살 위험")
    VIOLENCE = "violence", _("폭력")
    OTHER = "other", _("기타")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("보통")
    URGENT = "urgent", _("긴급")


class ReporterKind(models.TextChoices):
    IDENTIFIED = "identified", _("신고인 밝힘")
    ANONYMOUS = "anonymous", _("익명")


class ItemStatus(models.TextChoices):
    NEW = "new", _("접수")
    ASSIGNED = "assigned", _("배정")
    CONTACTED = "contacted", _("연락")
    VISITED = "visited", _("방문")
    CLOSED = "closed", _("종결")


class Outcome(models.TextChoices):
    FOUND = "found", _("욕구 확인(발굴)")
    NO_NEED = "no_need", _("지원 욕구 없음")
    ALREADY_SERVED = "already_served", _("이미 지원 중")
    UNREACHABLE = "unreachable", _("연락 불가")
    MOVED_OUT = "moved_out", _("전출")
    REFUSED = "refused", _("지원 거부")


class MatchStatus(models.TextChoices):
    UNMATCHED = "unmatched", _("미확인")
    PROPOSED = "proposed", _("일치 후보 있음")
    CONFIRMED = "confirmed", _("가구 확인")
    REJECTED = "rejected", _("후보 아님")


class FinderKind(models.TextChoices):
    DONG_HEAD = "dong_head", _("통·반장")
    PHARMACIST = "pharmacist", _("약사")
    RELIGIOUS_LEADER = "religious_leader", _("종교인")
    SHOP_OWNER = "shop_owner", _("상점 주인")
    POSTAL_WORKER = "postal_worker", _("집배원")
    METER_READER = "meter_reader", _("검침원")
    VOLUNTEER = "volunteer", _("자원봉사자")
    RESIDENT_ORGANISATION = "resident_organisation", _("주민조직 회원")
    VISITING_NURSE = "visiting_nurse", _("방문간호사")


class FindingPolicy(models.Model):
    """Per Si/Gun/Gu rules of the finding track (the law's default is 14 days)."""

    sigungu = models.OneToOneField(
        "regions.Sigungu", on_delete=models.CASCADE, related_name="finding_policy"
    )
    first_contact_days = models.PositiveSmallIntegerField(default=14)
    urgent_first_contact_days = models.PositiveSmallIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.sigungu} 발굴 기준"


class Finder(models.Model):
    """A person of the community appointed by a hub to report households they worry about."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="finder"
    )
    hub = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="finders")
    kind = models.CharField(max_length=30, choices=FinderKind.choices)
    network = models.ForeignKey("orgs.Network", null=True, blank=True, on_delete=models.PROTECT)
    registered_on = models.DateField()
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()})"


class TriageItem(models.Model):
    reference = models.CharField(max_length=16, unique=True)
    # What people say and write: "2026-길동-0042" (year, the hub's Dong, the hub's n-th
    # item of the year). The random reference stays the URL key; see references.py.
    number = models.CharField(max_length=40, blank=True)
    sigungu = models.ForeignKey("regions.Sigungu", on_delete=models.PROTECT, related_name="+")
    hub = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="triage_items"
    )
    emd = models.ForeignKey("regions.EupMyeonDong", null=True, blank=True, on_delete=models.PROTECT)
    needs_routing = models.BooleanField(
        default=False, help_text="address matched no Dong: the Gu decides"
    )
    household = models.ForeignKey(
        "people.Household",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="triage_items",
    )
    proposed_household = models.ForeignKey(
        "people.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    match_status = models.CharField(
        max_length=10, choices=MatchStatus.choices, default=MatchStatus.UNMATCHED
    )
    match_probability = models.FloatField(null=True, blank=True)
    # Why the registry matcher proposed the household, in Korean ("이름 일치", …).
    match_reasons = models.JSONField(default=list, blank=True)
    # The subject as first reported, for the inbox line (the reports keep every version).
    subject_name = models.CharField(max_length=60, blank=True)
    subject_address = models.CharField(max_length=200, blank=True)
    subject_key = models.CharField(
        max_length=64, blank=True, help_text="normalised name+place for duplicates"
    )
    concerns = models.JSONField(default=list)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    first_channel = models.CharField(max_length=20, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.NEW)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text="first contact due")
    first_contacted_at = models.DateTimeField(null=True, blank=True)
    visited_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="origins"
    )
    report_count = models.PositiveSmallIntegerField(default=1)
    version = models.PositiveIntegerField(default=1, help_text="optimistic lock")

    class Meta:
        indexes = [
            # the hub's inbox: open items by due date
            models.Index(fields=["hub", "status", "due_at"], name="triage_inbox_idx"),
            # duplicate detection: an open item about the same subject in the same Gu
            models.Index(
                fields=["sigungu", "subject_key", "received_at"], name="triage_subject_idx"
            ),
            models.Index(fields=["household", "status"], name="triage_household_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(outcome=""),
                name="closed_item_has_outcome",
            ),
            # blank only for rows written around the services (the bench's bulk load)
            models.UniqueConstraint(
                fields=["number"], condition=~models.Q(number=""), name="triage_item_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.number or gettext("발굴 %(reference)s") % {"reference": self.reference}


class Report(models.Model):
    item = models.ForeignKey(TriageItem, on_delete=models.PROTECT, related_name="reports")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    reporter_kind = models.CharField(max_length=12, choices=ReporterKind.choices)
    reporter_name = models.CharField(max_length=60, blank=True)
    reporter_phone = models.CharField(max_length=30, blank=True)
    finder = models.ForeignKey(
        Finder, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    source_organisation = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_name = models.CharField(max_length=60, blank=True)
    subject_birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    subject_rrn_blind_index = models.CharField(max_length=64, blank=True)
    subject_address = models.CharField(max_length=200, blank=True)
    subject_description = models.TextField(blank=True)
    concerns = models.JSONField(default=list)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    free_text = models.TextField(blank=True)
    received_at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=80, blank=True)
    client_fingerprint = models.CharField(
        max_length=64, blank=True, help_text="HMAC of the public form's IP"
    )
    # The reporter's receipt: "2026-1207-0042" (the day, then the n-th report of that day),
    # so that a finder can tell her reports apart without seeing anything about the person.
    receipt_number = models.CharField(max_length=20, blank=True)
    # A screening candidate's evidence, as data rather than text: score and its scale, the
    # hub's rank, and each signal with its agency and as-of date (screening_intake.py).
    screening = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            # Replaying an API request with the same key creates nothing new.
            models.UniqueConstraint(
                fields=["source_organisation", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="report_idempotency_key_unique",
            ),
            models.UniqueConstraint(
                fields=["receipt_number"],
                condition=~models.Q(receipt_number=""),
                name="report_receipt_number_unique",
            ),
        ]
        indexes = [
            # public-form rate limit: submissions from one address in the last hour
            models.Index(
                fields=["client_fingerprint", "received_at"], name="report_client_recent_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"신고 {self.pk} ({self.get_channel_display()})"


class TriageEventKind(models.TextChoices):
    RECEIVED = "received", _("접수")
    JOINED = "joined", _("같은 대상 신고 병합")
    REROUTED = "rerouted", _("이송")
    ASSIGNED = "assigned", _("배정")
    CONTACTED = "contacted", _("연락")
    VISITED = "visited", _("방문")
    MATCH_PROPOSED = "match_proposed", _("가구 일치 후보")
    MATCH_CONFIRMED = "match_confirmed", _("가구 확인")
    MATCH_REJECTED = "match_rejected", _("후보 아님")
    HOUSEHOLD_LINKED = "household_linked", _("가구 연결")
    HOUSEHOLD_REGISTERED = "household_registered", _("가구 새로 등록")
    CLOSED = "closed", _("종결")


class TriageEvent(models.Model):
    item = models.ForeignKey(TriageItem, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=TriageEventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["kind", "at"], name="triage_event_kind_at_idx")]

    def __str__(self) -> str:
        return f"{self.item} {self.kind}"


class ReferenceCounter(models.Model):
    """The last number handed out in a series ("item:2026-길동", "receipt:2026-1207"). The
    row is locked while a number is taken, so two reports at once never share one."""

    series = models.CharField(max_length=60, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.series} {self.last}"


class PartnerToken(models.Model):
    """A partner organisation's key to the API (finding.api).

    Only the SHA-256 of the token is kept: the token is random (256 bits), so a fast hash
    is enough, and a copy of the database does not let anyone call the API. The token
    itself is printed once, when issued (`bokjihub finding issue-token`).
    """

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="api_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    # the first characters of the token, so that a partner and the operator can tell
    # which of an organisation's tokens a log line or a revocation is about
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation", "-created_at"]

    def __str__(self) -> str:
        state = "폐기됨" if self.revoked_at else "사용 중"
        return f"{self.organisation} API 토큰 {self.prefix}… ({state})"


class ScreeningRunStatus(models.TextChoices):
    QUEUED = "queued", _("대기")
    RUNNING = "running", _("실행 중")
    SUCCEEDED = "succeeded", _("완료")
    FAILED = "failed", _("실패")


class ScreeningRunSource(models.TextChoices):
    FEEDS = "feeds", _("기관 피드 폴더")
    SYNTHETIC = "synthetic", _("합성 자료(시연)")


class ScreeningRun(models.Model):
    """A screening round a Gu analyst started from the web: the background task moves it
    through the stages and records what it produced. ``result`` holds the counts shown
    on the page (candidates per hub, quarantined rows, match rates, the inbox import)."""

    sigungu = models.ForeignKey("regions.Sigungu", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=12, choices=ScreeningRunSource.choices)
    status = models.CharField(
        max_length=12, choices=ScreeningRunStatus.choices, default=ScreeningRunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=40, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error_message = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="screening_run_progress_le_100"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="failed") | ~models.Q(error_message=""),
                name="failed_screening_run_has_error",
            ),
        ]
        indexes = [
            # the Gu's run page: its latest runs first
            models.Index(fields=["sigungu", "-created_at"], name="screening_run_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"선별 실행 {self.pk} ({self.get_status_display()})"
