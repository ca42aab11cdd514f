"""An instructor edits a lesson and a question in the admin and publishes; learners and the export see it."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from catalog.models import Lesson
from catalog.services import course_export_files, course_import
from quizzes.models import Question

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

EXAMPLE = Path(__file__).resolve().parents[2] / "courses" / "example"


def log_in_admin(page, site: str, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site + "/admin/login/?next=/admin/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(site + "/admin/")


def test_admin_edit_publish_and_export(site: str, browser, instructor, student, password: str) -> None:  # type: ignore[no-untyped-def]
    course = course_import(path=EXAMPLE).course
    lesson = Lesson.objects.get(slug="a-line")
    draft = Lesson.objects.get(slug="outlook")
    question = Question.objects.get(type="single")

    author = browser.new_context().new_page()
    log_in_admin(author, site, instructor.email, password)

    # Edit a lesson's Markdown; the preview shows it rendered.
    author.goto(f"{site}/admin/catalog/lesson/{lesson.pk}/change/")
    body = author.locator("#id_body")
    body.fill(body.input_value() + "\nThe slope $w$ tells how fast the prediction grows.\n")
    author.get_by_role("button", name="Save and continue editing").click()
    author.wait_for_load_state()
    expect(author.locator(".lesson-preview .math").filter(has_text="w").first).to_be_visible()

    # Edit a quiz question; a wrong answer is refused with the validator's message first.
    author.goto(f"{site}/admin/quizzes/question/{question.pk}/change/")
    author.locator("#id_answers").fill("The intercept")
    author.get_by_role("button", name="Save", exact=True).click()
    expect(author.get_by_text(re.compile("answer 'The intercept' is not among the options"))).to_be_visible()
    author.locator("#id_answers").fill("The prediction at x = 0")
    author.locator("#id_prompt").fill("Which value does the bias $b$ of a line set?")
    author.get_by_role("button", name="Save", exact=True).click()
    expect(author.get_by_text("was changed successfully")).to_be_visible()

    # Publish the draft lesson with the list action.
    author.goto(f"{site}/admin/catalog/lesson/?status__exact=draft")
    author.locator(f"input[name=_selected_action][value='{draft.pk}']").check()
    author.locator("select[name=action]").select_option("publish")
    author.get_by_role("button", name="Go").click()
    expect(author.get_by_text("1 item(s) published.")).to_be_visible()

    # The export action returns a zip with both edits.
    author.goto(f"{site}/admin/catalog/course/")
    author.locator(f"input[name=_selected_action][value='{course.pk}']").check()
    author.locator("select[name=action]").select_option("export_zip")
    with author.expect_download() as download_info:
        author.get_by_role("button", name="Go").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    assert (
        "how fast the prediction grows"
        in archive.read("example/modules/01-basics/lessons/01-a-line.md").decode()
    )
    assert (
        "prompt: Which value does the bias $b$ of a line set?"
        in archive.read("example/modules/01-basics/quiz.yaml").decode()
    )
    assert "status: draft" not in archive.read("example/modules/02-next-steps/lessons/02-outlook.md").decode()
    assert (
        archive.read("example/modules/01-basics/quiz.yaml")
        == course_export_files(course=course)["modules/01-basics/quiz.yaml"]
    )

    # A student sees the edited lesson and the newly published one.
    learner = browser.new_context().new_page()
    learner.goto(site + "/accounts/login/")
    learner.get_by_label("Email").fill(student.email)
    learner.get_by_label(re.compile(r"^Password:?$")).fill(password)
    learner.get_by_role("button", name="Sign In").click()
    learner.wait_for_url(re.compile(r"/dashboard/$"))
    learner.goto(f"{site}/courses/example/basics/a-line/")
    expect(learner.get_by_text("tells how fast the prediction grows")).to_be_visible()
    expect(learner.locator(".math").first).to_be_visible()
    response = learner.goto(f"{site}/courses/example/next-steps/outlook/")
    assert response is not None and response.status == 200
    expect(learner.get_by_role("heading", name="Outlook")).to_be_visible()
