"""Template helpers of the triage inbox, and the finding indicators block of the home
page (aggregates of the hub's items: no personal data, no access-log row)."""

from django import template
from django.utils import timezone
from django.utils.translation import gettext

from bokjihub.finding.access import TRIAGE_ROLES, items_in_scope
from bokjihub.finding.models import Channel, Concern
from bokjihub.finding.selectors import finding_indicators
from bokjihub.orgs.models import OrganisationKind

register = template.Library()

HUB_KINDS = {OrganisationKind.EMD_CENTRE, OrganisationKind.SIGUNGU_OFFICE}


@register.filter
def concern_labels(values) -> str:
    return ", ".join(str(Concern(v).label) if v in Concern.values else v for v in values or [])


@register.filter
def translated_each(values) -> list[str]:
    """Stored Korean labels (a match's reasons) in the reader's language; the catalogue
    knows them from finding.labels, anything else is shown as it is."""
    return [gettext(value) if value else value for value in values or []]


@register.inclusion_tag("finding/partials/inbox_home_indicators.html")
def finding_home_indicators(actor):
    """This month's finding indicators of the actor's hub, for hub staff only."""
    organisation = actor.organisation if actor else None
    if organisation is None or actor.role not in TRIAGE_ROLES or organisation.kind not in HUB_KINDS:
        return {"shown": False}
    indicators = finding_indicators(items=items_in_scope(actor), month=timezone.localdate())
    channels = [
        (Channel(value).label, count)
        for value, count in sorted(indicators.reports_by_channel.items(), key=lambda kv: -kv[1])
        if value in Channel.values
    ]
    share = indicators.share_contacted_within_14_days
    return {
        "shown": True,
        "indicators": indicators,
        "channels": channels,
        "reports_total": sum(indicators.reports_by_channel.values()),
        "share_percent": None if share is None else round(share * 100),
    }
