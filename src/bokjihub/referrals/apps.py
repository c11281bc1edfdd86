from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    """Closed-loop referrals from a case to a service or organisation, deliveries,
    redundancy and omission detection, signed webhooks."""

    name = "bokjihub.referrals"
    label = "referrals"
    verbose_name = "의뢰·제공"
