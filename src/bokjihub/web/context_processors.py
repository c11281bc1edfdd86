from bokjihub.web.actors import actor_from_request, memberships_from_request
from bokjihub.web.privacy import mask_rrns


def actor(request):
    # "next" of the header's forms: the page's own address, never with a full RRN in it.
    context = {"current_path": mask_rrns(request.get_full_path())}
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return context
    context["actor"] = actor_from_request(request)
    context["memberships"] = memberships_from_request(request)
    return context
