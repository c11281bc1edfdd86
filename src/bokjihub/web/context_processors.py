from bokjihub.web.actors import actor_from_request


def actor(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"actor": actor_from_request(request)}
