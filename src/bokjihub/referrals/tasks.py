"""Background work of referrals (huey): webhook delivery and the overdue sweep. Thin: each
task calls one service."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from bokjihub.referrals.services import referral_reminders_record
from bokjihub.referrals.webhooks import webhook_deliver, webhook_deliveries_send_due


@db_task()
def webhook_deliver_task(delivery_id: int) -> None:
    webhook_deliver(delivery_id=delivery_id)


@db_periodic_task(crontab(minute="*"))
def webhook_deliveries_sweep() -> None:
    """Retries that have come due, and any delivery whose task was lost (a worker that died
    after the commit): the outbox row is the source of truth, not the queue."""
    webhook_deliveries_send_due()


@db_periodic_task(crontab(minute="7"))
def referral_reminders_sweep() -> None:
    referral_reminders_record()
