"""Measure the learning pages: lesson-page throughput and p99 latency for a signed-in student at 50
concurrent clients (wrk against Daphne, the production server, DEBUG off), next to a bare view that
returns the same HTML from memory on the same server; and the time to build the gradebook CSV of a
200-student course. Every request carries the cookies a browser sends after its first page: the
session and the CSRF cookie.

Usage: python bench/pages.py [--seconds 10] [--connections 50] [--students 200] [--rounds 3]
(needs `wrk`: apt-get install -y wrk; prints a Markdown table; about two minutes)

The same module is the server's entry point (``daphne bench.pages:application``): it serves the
site plus ``/bench/bare/``, which answers with the lesson HTML it was given, from memory.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parents[1]
for entry in (str(ROOT), str(ROOT / "platform")):
    if entry not in sys.path:
        sys.path.insert(0, entry)

LESSON_PATH = "/courses/example/basics/loss/"
BARE_PATH = "/bench/bare/"


def _server_application() -> Any:
    """Return the site's ASGI application with the bare comparison view added to its routes."""
    from django.http import HttpRequest, HttpResponse
    from django.urls import path

    from config.asgi import application
    from config.urls import urlpatterns

    held: dict[str, bytes] = {}

    def bare(request: HttpRequest) -> HttpResponse:
        if "html" not in held:
            held["html"] = Path(os.environ["BENCH_BARE_HTML"]).read_bytes()
        return HttpResponse(held["html"], content_type="text/html; charset=utf-8")

    urlpatterns.insert(0, path(BARE_PATH.strip("/") + "/", bare))
    return application


def __getattr__(name: str) -> Any:
    # Only the server process asks for `application`; the bench itself never builds it.
    if name == "application":
        return _server_application()
    raise AttributeError(name)


def _setup_django(db_path: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL="",
        SQLITE_PATH=str(db_path),
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        FAST_PASSWORD_HASHER="1",
        EMBEDDED_WORKER="0",
        REDIS_URL="",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _seed(students: int) -> tuple[Any, Any, str]:
    """Import the example course and give it learners with attempts, lessons read and lab runs."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from catalog.models import Enrollment, Lab, Lesson, LessonCompletion
    from catalog.services import course_import, revision_current
    from jobs.models import Job
    from quizzes.models import Answer, Attempt, Quiz

    course = course_import(path=ROOT / "courses" / "example").course
    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        user_model(email=f"learner{i}@bench.example", display_name=f"Learner {i}") for i in range(students)
    )
    lessons = list(Lesson.objects.filter(module__course=course))
    lab = Lab.objects.filter(module__course=course).first()
    quiz = Quiz.objects.get(module__course=course)
    questions = list(quiz.questions.order_by("order"))
    snapshots = {q.pk: revision_current(q) for q in questions}
    quiz_revision = revision_current(quiz)
    now = timezone.now()
    Enrollment.objects.bulk_create(Enrollment(user=u, course=course) for u in users)
    LessonCompletion.objects.bulk_create(
        LessonCompletion(user=u, lesson=lesson) for i, u in enumerate(users) for lesson in lessons[: i % 4]
    )
    Job.objects.bulk_create(
        Job(user=u, lab=lab, code="pass", status="succeeded", score=float(i % 4), max_score=3.0)
        for i, u in enumerate(users)
    )
    attempts = Attempt.objects.bulk_create(
        Attempt(user=u, quiz=quiz, quiz_revision=quiz_revision, submitted_at=now, max_score=7.0)
        for u in users
        for _ in range(2)
    )
    answers = []
    for n, attempt in enumerate(attempts):
        total = 0.0
        for k, q in enumerate(questions):
            score = float(q.points) if (n + k) % 3 else 0.0
            total += score
            answers.append(
                Answer(
                    attempt=attempt,
                    question=q,
                    question_revision=snapshots[q.pk],
                    response={},
                    score=score,
                    feedback={},
                )
            )
        attempt.score = total
    Answer.objects.bulk_create(answers, batch_size=2000)
    Attempt.objects.bulk_update(attempts, ["score"], batch_size=1000)

    student = user_model.objects.create(email="bench-student@bench.example")
    client = Client()
    client.force_login(student)
    return course, student, f"sessionid={client.cookies['sessionid'].value}"


def _fetch(url: str, cookie: str) -> tuple[int, bytes, list[str]]:
    """Return the status, body and Set-Cookie headers of a GET with the given Cookie header."""
    with urlopen(Request(url, headers={"Cookie": cookie}), timeout=30) as response:
        return response.status, response.read(), response.headers.get_all("Set-Cookie") or []


def _wait(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited; see its log")
        try:
            urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer")


def _wrk(url: str, cookie: str, seconds: int, connections: int) -> tuple[float, float, int]:
    """Return requests per second, p99 latency in ms and the count of non-2xx answers."""
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, p99, int(bad.group(1)) if bad else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="alternating lesson/bare rounds")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")

    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        folder = Path(tmp)
        _setup_django(folder / "bench.sqlite3")
        course, _, cookie = _seed(args.students)

        from catalog.gradebook import gradebook_build, gradebook_csv

        timings = []
        for _ in range(5):
            started = time.perf_counter()
            text = gradebook_csv(gradebook_build(course=course))
            timings.append(time.perf_counter() - started)
        rows = text.count("\n") - 1
        gradebook_s = statistics.median(timings)

        from tests.support.servers import free_port

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        html_file = folder / "lesson.html"
        html_file.write_bytes(b"")
        env = {
            **os.environ,
            "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'platform'}",
            "BENCH_BARE_HTML": str(html_file),
        }
        with open(folder / "server.log", "wb") as log:
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "daphne",
                    "-b",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "bench.pages:application",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                _wait(f"{base}/healthz", server)
                status, html, set_cookies = _fetch(base + LESSON_PATH, cookie)
                assert status == 200 and b"lesson-body" in html, (
                    "the lesson page did not render for the student"
                )
                # A browser keeps the CSRF cookie of its first page and sends it from then on.
                csrf = next(c.split(";")[0] for c in set_cookies if c.startswith("csrftoken="))
                cookie = f"{cookie}; {csrf}"
                status, html, _ = _fetch(base + LESSON_PATH, cookie)
                assert status == 200
                # The bare view reads its HTML on the server's first use of the route: write it first.
                html_file.write_bytes(html)
                status, bare, _ = _fetch(base + BARE_PATH, cookie)
                assert status == 200 and bare == html
                _wrk(base + LESSON_PATH, cookie, 2, args.connections)  # warm both paths up
                _wrk(base + BARE_PATH, cookie, 2, args.connections)
                # Alternate the two paths over several rounds, so drift on a shared machine hits both.
                lesson_runs, bare_runs = [], []
                for _ in range(args.rounds):
                    lesson_runs.append(_wrk(base + LESSON_PATH, cookie, args.seconds, args.connections))
                    bare_runs.append(_wrk(base + BARE_PATH, cookie, args.seconds, args.connections))
            except Exception:
                print((folder / "server.log").read_text()[-3000:], file=sys.stderr)
                raise
            finally:
                server.terminate()
                try:
                    server.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
        lesson_rps = statistics.median(run[0] for run in lesson_runs)
        bare_rps = statistics.median(run[0] for run in bare_runs)
        lesson_p99 = statistics.median(run[1] for run in lesson_runs)
        bare_p99 = statistics.median(run[1] for run in bare_runs)
        lesson_bad = sum(run[2] for run in lesson_runs)
        bare_bad = sum(run[2] for run in bare_runs)
        ratio = lesson_rps / bare_rps if bare_rps else 0.0
        round_ratios = [lesson[0] / bare[0] for lesson, bare in zip(lesson_runs, bare_runs, strict=True)]

    print(
        f"\n## Learning pages ({os.cpu_count()} CPU cores, Daphne, SQLite, DEBUG off, "
        f"{args.connections} clients, median of {args.rounds} alternating rounds of {args.seconds} s)\n"
    )
    print("| measure | value | target |")
    print("| --- | --- | --- |")
    print(f"| lesson page, signed-in student: requests/s | {lesson_rps:.0f} | |")
    print(f"| lesson page: p99 latency | {lesson_p99:.1f} ms | |")
    print(f"| bare view, same HTML from memory: requests/s | {bare_rps:.0f} | |")
    print(f"| bare view: p99 latency | {bare_p99:.1f} ms | |")
    print(f"| lesson / bare throughput | {ratio:.2f} | >= 0.70 |")
    print(f"| lesson / bare, each round | {', '.join(f'{r:.2f}' for r in round_ratios)} | |")
    print(f"| non-2xx answers (lesson, bare) | {lesson_bad}, {bare_bad} | 0 |")
    print(
        f"| gradebook CSV, {rows} learners, 400 attempts + lab runs + lessons read "
        f"(median of 5) | {gradebook_s * 1000:.0f} ms | < 1000 ms |"
    )


if __name__ == "__main__":
    main()
