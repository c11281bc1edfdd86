"""Screening runs from the web: a Gu analyst starts a round over the agencies' feeds (or
a synthetic demonstration) and follows its progress; the page polls a partial with htmx
until the run ends. The pages show counts only, never a household."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from bokjihub.finding.models import ScreeningRun, ScreeningRunSource, ScreeningRunStatus
from bokjihub.finding.screening_runs import (
    screening_run_of,
    screening_run_start,
    screening_runs_of,
)
from bokjihub.web.actors import actor_from_request

FINISHED = (ScreeningRunStatus.SUCCEEDED, ScreeningRunStatus.FAILED)


@login_required
@require_http_methods(["GET", "POST"])
def screening_runs(request):
    actor = actor_from_request(request)
    if request.method == "POST":
        source = request.POST.get("source", "")
        if source in ScreeningRunSource.values:
            run = screening_run_start(actor=actor, source=source)
            return HttpResponseRedirect(reverse("finding_screening_run", args=[run.pk]), status=303)
    runs = screening_runs_of(actor=actor)
    return render(
        request,
        "finding/screening_runs.html",
        {"runs": runs, "sources": ScreeningRunSource.choices, "actor": actor},
    )


def _run(request, run_id: int) -> ScreeningRun:
    try:
        return screening_run_of(actor=actor_from_request(request), run_id=run_id)
    except ScreeningRun.DoesNotExist as error:
        raise Http404("선별 실행을 찾을 수 없습니다.") from error


@login_required
def screening_run(request, run_id: int):
    run = _run(request, run_id)
    return render(request, "finding/screening_run.html", {"run": run, "finished": FINISHED})


@never_cache
@login_required
def screening_run_progress(request, run_id: int):
    run = _run(request, run_id)
    return render(
        request, "finding/screening_run_progress.html", {"run": run, "finished": FINISHED}
    )
