from django.conf import settings
from django.http import HttpRequest

from bokjihub.orgs.actors import Actor, active_memberships, actor_for
from bokjihub.orgs.models import Membership

SESSION_MEMBERSHIP_KEY = "bokjihub_membership_id"


def client_ip(request: HttpRequest) -> str | None:
    header = settings.CLIENT_IP_HEADER
    if header:
        forwarded = request.META.get(header, "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


def memberships_from_request(request: HttpRequest) -> list[Membership]:
    """The user's active memberships, fetched once per request (the header lists them
    for the switcher and the actor is chosen among them)."""
    cached = getattr(request, "_bokjihub_memberships", None)
    if cached is None:
        cached = list(active_memberships(request.user))
        request._bokjihub_memberships = cached
    return cached


def actor_from_request(request: HttpRequest) -> Actor:
    """The actor of a logged-in request, memoised on the request; the memberships fetched
    for the header's switcher serve the choice too, so a page costs one query for both."""
    cached = getattr(request, "_bokjihub_actor", None)
    if cached is None:
        cached = actor_for(
            user=request.user,
            membership_id=request.session.get(SESSION_MEMBERSHIP_KEY),
            ip_address=client_ip(request),
            memberships=memberships_from_request(request),
        )
        request._bokjihub_actor = cached
    return cached
