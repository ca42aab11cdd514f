"""REST API of jobs: submit, status, metrics, logs, artifacts, cancel; lab drafts and history."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jobs.access import job_can_cancel, job_get_for_user, lab_get_for_user
from jobs.selectors import job_metric_points, job_queue_position, lab_run_history
from jobs.services import JobRejected, job_cancel, job_submit, lab_draft_save


class JobSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    lab = serializers.UUIDField(source="lab.uuid", read_only=True, allow_null=True, default=None)
    question = serializers.UUIDField(source="question.uuid", read_only=True, allow_null=True, default=None)
    status = serializers.CharField(read_only=True)
    message = serializers.CharField(read_only=True)
    mode = serializers.CharField(read_only=True)
    queue = serializers.CharField(read_only=True)
    exit_code = serializers.IntegerField(read_only=True, allow_null=True)
    score = serializers.FloatField(read_only=True, allow_null=True)
    max_score = serializers.FloatField(read_only=True, allow_null=True)
    checks = serializers.JSONField(read_only=True)
    metric_points = serializers.IntegerField(read_only=True)
    last_seq = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    started_at = serializers.DateTimeField(read_only=True, allow_null=True)
    finished_at = serializers.DateTimeField(read_only=True, allow_null=True)
    queue_position = serializers.SerializerMethodField()
    retry_of = serializers.UUIDField(source="retry_of.uuid", read_only=True, allow_null=True, default=None)

    def get_queue_position(self, job: Any) -> int | None:
        return job_queue_position(job)


class SubmitSerializer(serializers.Serializer):
    lab = serializers.UUIDField()
    code = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=500_000)
    mode = serializers.ChoiceField(choices=["full", "smoke"], default="full")


class DraftSerializer(serializers.Serializer):
    code = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=500_000)


class JobListCreateApi(APIView):
    @extend_schema(request=SubmitSerializer, responses={201: JobSerializer})
    def post(self, request: Request) -> Response:
        """Submit a run of the learner's code for a lab."""
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lab = lab_get_for_user(request.user, str(data.validated_data["lab"]))
        try:
            job = job_submit(
                user=request.user, lab=lab, code=data.validated_data["code"], mode=data.validated_data["mode"]
            )
        except JobRejected as exc:
            return Response(
                {"detail": str(exc)},
                status=status.HTTP_429_TOO_MANY_REQUESTS
                if "progress" in str(exc) or "today" in str(exc)
                else status.HTTP_400_BAD_REQUEST,
            )
        return Response(JobSerializer(job).data, status=status.HTTP_201_CREATED)


class JobDetailApi(APIView):
    @extend_schema(responses=JobSerializer)
    def get(self, request: Request, job_uuid: str) -> Response:
        """Return a job's status, outcome and grade."""
        return Response(JobSerializer(job_get_for_user(request.user, job_uuid)).data)


class JobMetricsApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("after", int, description="only points after this sequence number"),
            OpenApiParameter("max_points", int, description="per metric; longer series are min/max bucketed"),
        ],
        responses={200: dict},
    )
    def get(self, request: Request, job_uuid: str) -> Response:
        """Return a job's metric points (every spike kept when downsampled)."""
        job = job_get_for_user(request.user, job_uuid)
        try:
            after = max(0, int(request.query_params.get("after", 0)))
            max_points = min(20_000, max(4, int(request.query_params.get("max_points", 4000))))
        except ValueError:
            return Response({"detail": "after and max_points must be whole numbers"}, status=400)
        return Response(job_metric_points(job, after=after, max_points=max_points))


class JobLogsApi(APIView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request, job_uuid: str) -> Response:
        """Return the captured output of a job (capped)."""
        job = job_get_for_user(request.user, job_uuid)
        return Response({"log": job.log_tail, "status": job.status})


class JobArtifactsApi(APIView):
    @extend_schema(operation_id="jobs_artifacts_list", responses={200: dict})
    def get(self, request: Request, job_uuid: str) -> Response:
        """List the files a job saved."""
        job = job_get_for_user(request.user, job_uuid)
        return Response({"artifacts": [{"name": a.name, "size": a.size} for a in job.artifacts.all()]})


class JobArtifactDownloadApi(APIView):
    @extend_schema(
        operation_id="jobs_artifact_download", responses={(200, "application/octet-stream"): bytes}
    )
    def get(self, request: Request, job_uuid: str, name: str) -> FileResponse:
        """Download one artifact (always as an attachment, never rendered)."""
        job = job_get_for_user(request.user, job_uuid)
        artifact = job.artifacts.filter(name=name).first()
        if artifact is None:
            raise Http404("no such artifact")
        return FileResponse(
            artifact.file.open("rb"),
            as_attachment=True,
            filename=artifact.name,
            content_type="application/octet-stream",
        )


class JobCancelApi(APIView):
    @extend_schema(request=None, responses=JobSerializer)
    def post(self, request: Request, job_uuid: str) -> Response:
        """Cancel a queued or running job."""
        job = job_get_for_user(request.user, job_uuid)
        if not job_can_cancel(request.user, job):
            raise Http404("no such job")
        return Response(JobSerializer(job_cancel(job=job)).data)


class LabDraftApi(APIView):
    @extend_schema(request=DraftSerializer, responses={204: None})
    def put(self, request: Request, lab_uuid: str) -> Response:
        """Save the learner's latest code for a lab."""
        lab = lab_get_for_user(request.user, lab_uuid)
        data = DraftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            lab_draft_save(user=request.user, lab=lab, code=data.validated_data["code"])
        except JobRejected as exc:
            return Response({"detail": str(exc)}, status=400)
        return Response(status=204)


class LabRunsApi(APIView):
    @extend_schema(responses=JobSerializer(many=True))
    def get(self, request: Request, lab_uuid: str) -> Response:
        """Return the learner's latest runs of a lab."""
        lab = lab_get_for_user(request.user, lab_uuid)
        return Response(JobSerializer(lab_run_history(request.user, lab), many=True).data)
