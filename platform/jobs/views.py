"""Lab page (editor, run, history, live chart) and job page (one run, live)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jobs.access import job_can_cancel, job_get_for_user, lab_get_for_user
from jobs.models import LabDraft
from jobs.selectors import lab_run_history


def _job_brief(job) -> dict:  # type: ignore[no-untyped-def]
    return {
        "uuid": str(job.uuid),
        "status": job.status,
        "label": job.get_status_display(),
        "created": job.created_at.isoformat(),
        "mode": job.mode,
        "score": job.score,
        "max_score": job.max_score,
    }


@login_required
def lab_page(request: HttpRequest, lab_uuid: str) -> HttpResponse:
    """Show a lab: the learner's code in an editor, Run, run history and the live chart."""
    lab = lab_get_for_user(request.user, lab_uuid)
    draft = LabDraft.objects.filter(user=request.user, lab=lab).first()
    history = lab_run_history(request.user, lab)
    active = next((j for j in history if j.is_active), history[0] if history else None)
    config = {
        "lab": str(lab.uuid),
        "starter": lab.starter,
        "history": [_job_brief(j) for j in history],
        "job": str(active.uuid) if active else None,
    }
    return render(
        request,
        "jobs/lab.html",
        {
            "lab": lab,
            "code": draft.code if draft else lab.starter,
            "config": config,
            "module": lab.module,
        },
    )


@login_required
def job_page(request: HttpRequest, job_uuid: str) -> HttpResponse:
    """Show one run live: status, chart, log tail, grade, and Cancel for those allowed."""
    job = job_get_for_user(request.user, job_uuid)
    config: dict[str, object] = {
        "job": str(job.uuid),
        "lab": str(job.lab.uuid) if job.lab else None,
        "history": [],
        "readonly": True,
        "can_cancel": job_can_cancel(request.user, job),
    }
    return render(request, "jobs/job.html", {"job": job, "config": config})
