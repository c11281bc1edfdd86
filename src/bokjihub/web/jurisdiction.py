"""The Dongs an actor may filter a household search by.

Region rows only (names and codes, no personal data), so no access-log row is written.
Public offices: their jurisdiction as the access layer defines it
(`people.access.jurisdiction_dongs`); a private organisation: the Dongs of its declared
service area.
"""

from django.db.models import Q
from django.utils import timezone

from bokjihub.orgs.actors import Actor
from bokjihub.people.access import jurisdiction_dongs
from bokjihub.regions.models import EupMyeonDong


def dongs_for_search(actor: Actor) -> list[EupMyeonDong]:
    organisation = actor.organisation
    if organisation is None or not actor.may_read_personal_data:
        return []
    scope = jurisdiction_dongs(actor)
    if scope is None:
        scope = Q(serving_organisations=organisation)
    today = timezone.localdate()
    return list(
        EupMyeonDong.objects.filter(scope)
        .filter(EupMyeonDong.valid_on_q(today))
        .distinct()
        .order_by("name_ko", "code")
    )
