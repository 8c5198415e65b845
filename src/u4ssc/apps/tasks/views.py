from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404

from u4ssc.apps.tasks.models import Task
from u4ssc.web.htmx import render_page


def _visible(request: HttpRequest, task_id: str) -> Task:
    task_obj = get_object_or_404(Task, pk=task_id)
    # A task's page is for the person who started it (or anyone, for anonymous tasks such
    # as public report downloads, which carry no private data).
    if task_obj.created_by_id and task_obj.created_by_id != getattr(request.user, "pk", None):
        raise Http404
    return task_obj


def task_status(request: HttpRequest, task_id: str) -> HttpResponse:
    task_obj = _visible(request, task_id)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(
            {
                "id": str(task_obj.pk),
                "state": task_obj.state,
                "progress": task_obj.progress,
                "message": task_obj.message,
                "result": task_obj.result,
            }
        )
    return render_page(
        request,
        "tasks/task.html",
        {"task": task_obj},
        partial="tasks/partials/progress.html",
    )
