from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from bokjihub.cases.models import CaseEvent
from bokjihub.referrals.models import ReferralReminder
from bokjihub.referrals.services import referral_reminders_record

pytestmark = [pytest.mark.django_db, pytest.mark.accept_services]


def test_an_overdue_referral_is_reminded_once_per_status(referral, move):
    later = timezone.now() + timedelta(days=3)
    assert len(referral_reminders_record(now=later)) == 1
    assert referral_reminders_record(now=later) == []
    move(referral, "received")
    assert referral_reminders_record(now=later + timedelta(days=6))[0].status == "received"
    assert ReferralReminder.objects.count() == 2
    assert CaseEvent.objects.filter(summary__startswith="의뢰 기한 지남").count() == 2


def test_a_referral_within_its_time_limit_is_not_reminded(referral):
    assert referral_reminders_record() == []


def test_the_command_reports_what_it_recorded(referral):
    from bokjihub.referrals.models import Referral

    Referral.objects.filter(pk=referral.pk).update(
        status_due_at=timezone.now() - timedelta(hours=1)
    )
    out = StringIO()
    call_command("referrals", "remind", stdout=out)
    call_command("referrals", "remind", stdout=out)
    assert "1건" in out.getvalue() and "0건" in out.getvalue()
