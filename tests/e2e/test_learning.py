"""A new student reads a lesson (math, code, chart), marks it done, takes the quiz and sees progress change."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from catalog.models import Lesson
from catalog.services import course_import
from quizzes.models import Attempt
from tests.learning_tests.conftest import Q_MULTIPLE, Q_NUMERIC, Q_ORDERING, Q_SINGLE, Q_TEXT, RIGHT
from tests.learning_tests.payloads import hostile_course
from tests.support.servers import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CODE_ANSWER = "def predict(x, w, b):\n    return w * x + b\n"


def log_in(page, site: str, user, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(site + "/dashboard/")


def chart_y(page) -> list[list[float | None]]:  # type: ignore[no-untyped-def]
    """Return the y values of every trace the progress chart drew (read from Plotly itself)."""
    page.wait_for_selector("[data-testid=progress-chart][data-rendered]")
    return page.evaluate("[...document.querySelector('[data-testid=progress-chart]').data].map(t => t.y)")


def put_in_order(page, question: str, wanted: list[str]) -> None:  # type: ignore[no-untyped-def]
    items = page.locator(f"[data-question='{question}'] .ordering-item")
    for target, text in enumerate(wanted):
        for _ in range(len(wanted)):
            labels = [items.nth(i).inner_text() for i in range(items.count())]
            current = next(i for i, label in enumerate(labels) if label.strip().endswith(text))
            if current == target:
                break
            items.nth(current).get_by_role("button", name="Move up").click()


@pytest.fixture
def course(transactional_db):  # type: ignore[no-untyped-def]
    course = course_import(path=ROOT / "courses" / "example").course
    lesson = Lesson.objects.get(slug="loss")
    lesson.body += "\n```python\ndef mse(errors):\n    return sum(e * e for e in errors) / len(errors)\n```\n"
    lesson.save()
    return course


def test_student_reads_marks_done_takes_quiz_and_sees_progress(site, page, student, password, course) -> None:  # type: ignore[no-untyped-def]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    log_in(page, site, student, password)
    page.get_by_test_id("continue-link").click()
    page.wait_for_url(re.compile(r".*/courses/example/basics/a-line/$"))
    page.get_by_role("link", name=re.compile("Measuring the error")).first.click()

    # Math typeset by KaTeX, code highlighted by Pygments, the Plotly figure drawn with its traces.
    page.wait_for_selector(".lesson-body .katex-display")
    assert page.locator(".lesson-body .math[data-rendered] .katex").count() >= 1
    assert page.locator(".lesson-body pre.highlight code span").count() > 3
    page.wait_for_selector(".lesson-body .plotly-figure[data-rendered]")
    traces = page.evaluate("document.querySelector('.lesson-body .plotly-figure').data.length")
    assert traces >= 1
    assert (
        page.locator(
            ".lesson-body .js-plotly-plot .scatterlayer .trace, .lesson-body .js-plotly-plot .trace"
        ).count()
        >= 1
    )

    page.get_by_test_id("mark-done").click()
    page.get_by_test_id("lesson-done-state").wait_for()
    assert page.locator("[data-testid=module-outline] li.is-done").count() == 1

    page.goto(f"{site}/courses/example/progress/")
    before = chart_y(page)
    assert before[0][0] == 50 and before[1][0] is None

    page.goto(f"{site}/courses/example/basics/loss/")
    page.get_by_role("link", name=re.compile("^Quiz: ")).click()
    page.get_by_test_id("start-quiz").click()
    page.wait_for_url(re.compile(r".*/attempts/[0-9a-f-]+/$"))

    # First a submission with a malformed number: refused with a message, the attempt stays open.
    page.locator(f"[data-question='{Q_SINGLE}'] label", has_text=RIGHT[Q_SINGLE]["choice"]).click()
    for choice in RIGHT[Q_MULTIPLE]["choices"]:
        page.locator(f"[data-question='{Q_MULTIPLE}'] label", has_text=choice).click()
    page.locator(f"[data-question='{Q_NUMERIC}'] input").fill("four")
    page.locator(f"[data-question='{Q_TEXT}'] input").fill("gradient descent")
    put_in_order(page, Q_ORDERING, RIGHT[Q_ORDERING]["order"])
    page.get_by_test_id("code-answer").fill(CODE_ANSWER)
    page.get_by_test_id("submit-quiz").click()
    page.get_by_test_id("quiz-errors").wait_for()
    assert "is not a number" in page.locator(f"[data-question='{Q_NUMERIC}']").inner_text()
    assert Attempt.objects.get(user=student).submitted_at is None

    page.locator(f"[data-question='{Q_NUMERIC}'] input").fill("4")
    put_in_order(page, Q_ORDERING, RIGHT[Q_ORDERING]["order"])
    page.get_by_test_id("submit-quiz").click()
    page.get_by_test_id("quiz-result").wait_for()
    # The code question is graded by a sandbox run; the page updates itself when it ends.
    page.wait_for_selector("[data-testid=quiz-result][data-pending='0']", timeout=120_000)
    assert page.get_by_test_id("quiz-score").inner_text().strip() == "7 / 7"
    verdicts = page.locator("[data-testid=question-result]").evaluate_all(
        "els => els.map(e => e.dataset.verdict)"
    )
    assert verdicts == ["correct"] * 6
    explanations = page.get_by_test_id("explanation").all_inner_texts()
    assert len(explanations) == 6 and "Gradient descent moves each parameter" in explanations[3]
    assert "predict gives w * x + b" in page.locator("[data-testid=question-result]").nth(5).inner_text()

    page.goto(f"{site}/courses/example/progress/")
    after = chart_y(page)
    assert after[0][0] == 50 and after[1][0] == 100
    assert dialogs == []

    page.goto(f"{site}/dashboard/")
    assert "Continue where you left off" in page.get_by_test_id("continue-link").inner_text()


def test_payloads_stay_inert_in_the_browser(site, page, student, password, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from quizzes.models import Quiz
    from quizzes.services import attempt_start, attempt_submit

    course_import(path=hostile_course(tmp_path))
    quiz = Quiz.objects.get()
    answers = {k: v for k, v in RIGHT.items()}
    attempt = attempt_submit(attempt=attempt_start(user=student, quiz=quiz), responses=answers)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    log_in(page, site, student, password)
    for url in ("/courses/example/basics/a-line/", f"/attempts/{attempt.uuid}/"):
        page.goto(site + url)
        page.wait_for_load_state("load")
        for link in page.locator("main a[id=js-link], main a:has-text('mixed case')").all():
            link.click()
        page.wait_for_timeout(300)
        assert page.evaluate("window.__xss === undefined")
        assert page.locator("main script, main svg, main iframe, main [onerror], main [onload]").count() == 0
    assert dialogs == []
    assert page.url.startswith(site)
    time.sleep(0)
