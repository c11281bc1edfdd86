from django.conf import settings
from django.http import HttpRequest

from bokjihub.orgs.actors import Actor, actor_for

SESSION_MEMBERSHIP_KEY = "bokjihub_membership_id"


def client_ip(request: HttpRequest) -> str | None:
    header = settings.CLIENT_IP_HEADER
    if header:
        forwarded = request.META.get(header, "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


def actor_from_request(request: HttpRequest) -> Actor:
    """The actor of a logged-in request, memoised on the request."""
    cached = getattr(request, "_bokjihub_actor", None)
    if cached is None:
        cached = actor_for(
            user=request.user,
            membership_id=request.session.get(SESSION_MEMBERSHIP_KEY),
            ip_address=client_ip(request),
        )
        request._bokjihub_actor = cached
    return cached
