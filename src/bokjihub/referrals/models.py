"""Closed-loop referrals (의뢰) from a case to an organisation or a directory service, their
append-only history, overdue reminders, and signed webhooks for partner systems.

A referral moves through an explicit table of statuses (referrals.services.TRANSITIONS);
every move is a ReferralEvent and a case timeline event written in the same transaction.
What personal data travelled with the referral was decided once, at send time, from the
household's consents (Referral.shared); the receiving side reads it only through
referrals.access, which checks the consent again and writes the access log.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from bokjihub.cases.models import NeedDomain


class ReferralStatus(models.TextChoices):
    # "의뢰함" is also the inbox's name: the status carries a context so that English can
    # say "Sent" (the buttons' 수락/거절 carry one in referrals.forms for the same reason).
    SENT = "sent", pgettext_lazy("referral status", "의뢰함")
    RECEIVED = "received", _("접수")
    ACCEPTED = "accepted", _("수락")
    DECLINED = "declined", _("거절")
    IN_SERVICE = "in_service", _("서비스 제공 중")
    COMPLETED = "completed", _("완료")
    NOT_COMPLETED = "not_completed", _("미완료 종료")
    CANCELLED = "cancelled", _("취소")


# Statuses that end the loop; a referral in one of them has closed_at and no deadline.
FINAL_STATUSES = frozenset(
    {
        ReferralStatus.DECLINED,
        ReferralStatus.COMPLETED,
        ReferralStatus.NOT_COMPLETED,
        ReferralStatus.CANCELLED,
    }
)
# Statuses whose move needs a reason the other side can read (a refusal, a failure).
REASONED_STATUSES = frozenset(
    {ReferralStatus.DECLINED, ReferralStatus.NOT_COMPLETED, ReferralStatus.CANCELLED}
)
OPEN_STATUSES = frozenset(ReferralStatus.values) - FINAL_STATUSES


class SharedLevel(models.TextChoices):
    MINIMUM = "minimum", _("최소 정보(동의 없음)")
    CONSENTED = "consented", _("동의 범위(이름·연락처·욕구 요약)")


class Referral(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    from_organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_sent",
    )
    to_organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="referrals_received"
    )
    service = models.ForeignKey(
        "directory.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    need_domain = models.CharField(max_length=20, choices=NeedDomain.choices)
    request_text = models.TextField(help_text="의뢰 내용 (요청하는 서비스)")
    status = models.CharField(
        max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    reason = models.TextField(blank=True, help_text="거절·미완료·취소 사유")
    # Optimistic concurrency: every move states the version it was decided on; a stale one
    # is refused instead of overwriting the other side's move.
    version = models.PositiveIntegerField(default=1)
    sent_at = models.DateTimeField()
    status_entered_at = models.DateTimeField()
    # From STATUS_DUE_DAYS in referrals.services; empty when the status has no time limit.
    status_due_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # What travelled at send time (see referrals.services._shared_snapshot): the minimum,
    # or, under a consent naming the receiving organisation, name, contact, need summary.
    shared_level = models.CharField(max_length=10, choices=SharedLevel.choices)
    shared = models.JSONField(default=dict)
    shared_consent = models.ForeignKey(
        "people.Consent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status__in=sorted(REASONED_STATUSES)) | ~models.Q(reason=""),
                name="referral_reason_required_for_refusals",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=sorted(FINAL_STATUSES), closed_at__isnull=False)
                | models.Q(status__in=sorted(OPEN_STATUSES), closed_at__isnull=True),
                name="referral_closed_at_matches_status",
            ),
            models.CheckConstraint(
                condition=~models.Q(from_organisation=models.F("to_organisation")),
                name="referral_not_to_itself",
            ),
            models.CheckConstraint(
                condition=models.Q(shared_level="consented", shared_consent__isnull=False)
                | models.Q(shared_level="minimum", shared_consent__isnull=True),
                name="referral_consented_share_names_its_consent",
            ),
        ]
        indexes = [
            # the referral inbox: one organisation's referrals by status, overdue first
            models.Index(
                fields=["to_organisation", "status", "status_due_at"],
                name="referral_inbox_idx",
            ),
            # referrals_remind: open referrals past their status deadline
            models.Index(
                fields=["status_due_at"],
                condition=models.Q(closed_at__isnull=True),
                name="referral_open_due_idx",
            ),
            models.Index(fields=["case", "sent_at"], name="referral_case_idx"),
        ]

    def __str__(self) -> str:
        # shown on pages (the case page names the referral an engagement came from)
        return gettext("의뢰 %(number)s") % {"number": self.pk}

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ReferralEvent(models.Model):
    """One move of a referral. Only inserted (by referrals.services), never updated."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, choices=ReferralStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    # The version of the referral after this move: a replayed request answers with it.
    version = models.PositiveIntegerField()
    # The client's Idempotency-Key (API) or the form's one-time token (pages).
    idempotency_key = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="referral_event_idempotency_key_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral} → {self.get_to_status_display()}"


class ReferralReminder(models.Model):
    """A referral overdue in a status; one per referral and status (referrals_remind is
    idempotent), so that a reminder is sent once and the overdue list is countable."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="reminders")
    status = models.CharField(max_length=16, choices=ReferralStatus.choices)
    due_at = models.DateTimeField()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "status"], name="referral_reminder_once_per_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral} 기한 지남 ({self.status})"


class WebhookEndpoint(models.Model):
    """Where an organisation's system wants referral status changes POSTed. The signing
    secret is shown once at creation and stored only encrypted (AES-GCM, the field
    encryption keyring): signing needs the secret itself, so a hash would not do."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=500)
    secret_key_id = models.CharField(max_length=32, editable=False)
    secret_ciphertext = models.BinaryField(editable=False)
    secret_prefix = models.CharField(max_length=16, help_text="the secret's first characters")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["organisation_id", "id"]

    def __str__(self) -> str:
        return f"웹훅 {self.pk} ({self.url})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("전송 대기")
    DELIVERED = "delivered", _("전송 완료")
    FAILED = "failed", _("전송 실패(재시도 끝)")


class WebhookDelivery(models.Model):
    """The outbox: one row per endpoint and referral event, written in the transaction of
    the status change, so that a change is never committed without its notification (and a
    rolled-back change never notifies)."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.PROTECT, related_name="deliveries"
    )
    event = models.ForeignKey(ReferralEvent, on_delete=models.PROTECT, related_name="deliveries")
    # Sent as X-Bokjihub-Event-Id: the receiver drops a delivery it has already seen.
    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="pending", next_attempt_at__isnull=False)
                | ~models.Q(status="pending"),
                name="webhook_pending_delivery_has_next_attempt",
            ),
            models.CheckConstraint(
                condition=models.Q(status="delivered", delivered_at__isnull=False)
                | ~models.Q(status="delivered"),
                name="webhook_delivered_has_time",
            ),
        ]
        indexes = [
            # webhook_deliveries_due: pending deliveries whose next attempt has come
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="webhook_pending_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"웹훅 전송 {self.message_id} ({self.status})"
