"""The access log of personal data (개인정보 접속기록).

PIPA's safety standard (고시 제8조) requires, for every access to personal data: the
account, the time, the address it came from, whose data and what was done. Rows are only
ever inserted (see audit.services.access_log_write); the admin offers no change or delete.
Names of the user and organisation are copied in so the log stays readable after staff
leave or organisations are renamed.

The log must be kept at least two years and protected against alteration: rows form a
hash chain (audit.chain, keyed by settings.AUDIT_KEY) whose newest link is kept in
AccessLogChainHead, and the database itself refuses UPDATE and DELETE (migration 0004;
on PostgreSQL also the application role's privileges, `bokjihub audit db-grants`).
`bokjihub audit verify` walks the chain.

On SQLite, a migration that alters this table rebuilds it and so drops its triggers: such
a migration must create them again (test_append_only_triggers fails until it does).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bokjihub.orgs.models import Role


class AccessAction(models.TextChoices):
    HOUSEHOLD_SEARCH = "household_search", _("가구 검색")
    HOUSEHOLD_VIEW = "household_view", _("가구 조회")
    PERSON_VIEW = "person_view", _("대상자 조회")
    RRN_REVEAL = "rrn_reveal", _("주민등록번호 전체 조회")
    EXPORT = "export", _("내려받기")
    # A read the access layer refused: a household outside the actor's jurisdiction (or
    # one that does not exist, which the actor must not be able to tell apart). Logged so
    # that the monthly review can flag probing (issue 7: out-of-jurisdiction attempts).
    ACCESS_DENIED = "access_denied", _("관할 밖 조회 시도")
    PERSONAL_DATA_CHANGE = "personal_data_change", _("개인정보 변경")


class AccessPurpose(models.TextChoices):
    SEARCH = "search", _("대상자 확인(검색)")
    CASE_WORK = "case_work", _("사례관리·상담")
    TRIAGE = "triage", _("발굴 신고 처리")
    ELIGIBILITY = "eligibility", _("자격 확인")
    AUDIT = "audit", _("감사")


class AccessScope(models.TextChoices):
    """Where a read stood against the actor's duties; what the monthly review flags.

    A column rather than words in `detail`, so that the review counts it with an equality
    and nobody's later rewording of a log message changes what is flagged.
    """

    ORDINARY = "ordinary", _("업무 범위 안")
    # Inside the actor's jurisdiction but outside their caseload, opened with a stated
    # purpose (people.access.access_household).
    OUT_OF_CASELOAD = "out_of_caseload", _("담당 외 열람")
    # Refused: outside the jurisdiction of a role that does read personal data, or no such
    # record. Flagged for the privacy officer (probing).
    OUT_OF_JURISDICTION = "out_of_jurisdiction", _("관할 밖 조회 시도")
    # Refused because the role never reads personal data (finder, analyst, data operator,
    # council secretary, auditor...): counted, not flagged; such a user following a link
    # to a household page is not probing anyone's data.
    ROLE_WITHOUT_ACCESS = "role_without_access", _("열람 권한 없는 역할의 시도")


class AccessLog(models.Model):
    occurred_at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    username = models.CharField(max_length=150)
    organisation = models.ForeignKey(
        "orgs.Organisation", null=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation_name = models.CharField(max_length=120, blank=True)
    role = models.CharField(max_length=30, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=30, choices=AccessAction.choices)
    purpose = models.CharField(max_length=20, choices=AccessPurpose.choices)
    # Plain ids, not foreign keys: the log must outlive the records it talks about
    # (retention destroys households after five years; their access history stays).
    household_id = models.BigIntegerField(null=True, blank=True)
    person_ids = models.JSONField(default=list)
    detail = models.CharField(
        max_length=200, blank=True, help_text="e.g. the search, with any RRN masked"
    )
    # Part of the row's hash from chain format 3 on; for older rows it is derived from
    # their hashed fields (audit.chain.legacy_scope) and verification checks that it is.
    scope = models.CharField(
        max_length=30, choices=AccessScope.choices, default=AccessScope.ORDINARY
    )
    # Hex digests (SHA-256 or HMAC-SHA256 by format version), see audit.chain.
    previous_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64)

    class Meta:
        indexes = [
            # "who saw this household" (auditor, data subject's request)
            models.Index(fields=["household_id", "occurred_at"], name="accesslog_household_idx"),
            # monthly review per user
            models.Index(fields=["user", "occurred_at"], name="accesslog_user_idx"),
        ]
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.username} {self.action}"

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role in Role.values else self.role


class AccessLogChainHead(models.Model):
    """The newest link of the access-log chain: one row, locked by every append.

    Locking this row serialises appends, so two requests cannot both chain onto the same
    previous row and fork the chain. It also lets verification notice that the newest
    rows were removed, which the links between the remaining rows cannot show.
    """

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID)
    row_id = models.BigIntegerField(null=True, help_text="id of the newest chained row")
    row_hash = models.CharField(max_length=64, help_text="row_hash of that row")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="accesslogchainhead_singleton"),
        ]

    def __str__(self) -> str:
        return f"access log chain head: row {self.row_id}"


class AccessLogFormatAnchor(models.Model):
    """Rows up to `last_row_id` were hashed under the older chain format `version`.

    Written once by the migration that introduced the keyed format, sealed with an HMAC
    under the audit key (audit.chain.anchor_mac), and read by access_log_verify to know
    which format each row must satisfy. Never written by the application.
    """

    version = models.PositiveSmallIntegerField(unique=True)
    last_row_id = models.BigIntegerField(help_text="id of the last row of this format")
    last_row_hash = models.CharField(max_length=64, help_text="row_hash of that row")
    mac = models.CharField(max_length=64, help_text="HMAC of the three values above")
    anchored_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"access log format v{self.version} up to row {self.last_row_id}"


class RetentionException(models.Model):
    """A household whose data must be kept past the retention period (litigation, an
    ongoing investigation, a statutory exception), listed apart with its reason."""

    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=200)
    keep_until = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"보존 예외 {self.household_id} ~{self.keep_until}"


class DestructionRegister(models.Model):
    """One run of the retention job (개인정보 파기 관리대장): when, by what rule, how much."""

    ran_at = models.DateTimeField()
    ran_by = models.CharField(max_length=150, help_text="user or scheduler that ran it")
    cutoff = models.DateTimeField(help_text="cases closed before this were destroyed")
    households = models.PositiveIntegerField()
    persons = models.PositiveIntegerField()
    exceptions_kept = models.PositiveIntegerField()
    method = models.CharField(max_length=200)

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"파기 {self.ran_at:%Y-%m-%d} {self.households}가구"


class DeidentifiedCaseCount(models.Model):
    """What remains of destroyed households: counts by region, year, type and outcome,
    enough for the community welfare plan's statistics and nothing that names anyone."""

    register = models.ForeignKey(
        DestructionRegister, on_delete=models.PROTECT, related_name="counts"
    )
    sigungu_code = models.CharField(max_length=5)
    emd_code = models.CharField(max_length=10)
    closed_year = models.PositiveSmallIntegerField()
    household_type = models.CharField(max_length=30)
    case_outcome = models.CharField(max_length=20, blank=True)
    households = models.PositiveIntegerField()
    persons = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.emd_code} {self.closed_year} {self.household_type}: {self.households}"


class ReviewSignOff(models.Model):
    """The privacy officer's sign-off of one month's access-log review (PIPA 고시 제8조:
    월 1회 이상 점검), with what they found.

    Never changed once written (audit.services.review_sign_off_record only inserts): a
    correction is a new row that names the one it amends, so the page shows what was
    signed first and every amendment after it.
    """

    NOTE_MAX_LENGTH = 1000

    month = models.DateField(help_text="the first day of the reviewed month")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Copied like the access log's names, so the record reads the same after staff leave.
    signed_by_name = models.CharField(max_length=150)
    organisation_name = models.CharField(max_length=120, blank=True)
    role = models.CharField(max_length=30, blank=True)
    signed_at = models.DateTimeField()
    note = models.TextField(max_length=NOTE_MAX_LENGTH)
    amends = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amended_by",
        help_text="the sign-off this one corrects",
    )

    class Meta:
        ordering = ["month", "signed_at", "id"]
        constraints = [
            # A month has one original sign-off; everything after it amends one row, and a
            # row is amended at most once (the OneToOne), so a month's record is one line.
            models.UniqueConstraint(
                fields=["month"],
                condition=models.Q(amends__isnull=True),
                name="reviewsignoff_one_original_per_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} 점검 확인 {self.signed_by_name}"
