"""A student runs PyTorch code in a lab and watches the curve grow live; cancel; reload mid-run."""

from __future__ import annotations

import re
import time

import pytest

from catalog.models import Lab
from catalog.services import course_import
from jobs.models import Job, JobMetric
from tests.support.servers import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TORCH_FIT = """
import time
import torch
from masterclass import data_path, report

def main():
    torch.manual_seed(0)
    rows = [line.split(",") for line in data_path("points.csv").read_text().splitlines()[1:]]
    x = torch.tensor([[float(r[0])] for r in rows])
    y = torch.tensor([[float(r[1])] for r in rows])
    model = torch.nn.Linear(1, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for step in range({steps}):
        loss = torch.nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        report(step=step, loss=loss.item())
        time.sleep({pause})
    report(w=model.weight.item(), b=model.bias.item())

if __name__ == "__main__":
    main()
"""


@pytest.fixture
def lab(transactional_db) -> Lab:  # type: ignore[no-untyped-def]
    course_import(path=ROOT / "courses" / "example")
    return Lab.objects.get(slug="fit-a-line")


def log_in(page, site: str, user, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(site + "/dashboard/")


def write_code(page, code: str) -> None:  # type: ignore[no-untyped-def]
    editor = page.get_by_test_id("code-editor")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(code)


def chart_points(page) -> int:  # type: ignore[no-untyped-def]
    return page.evaluate("window.__jobStream ? window.__jobStream.chart.totalPoints() : 0")


def panel_status(page) -> str | None:  # type: ignore[no-untyped-def]
    return page.get_attribute("[data-testid=run-panel]", "data-status")


def wait_status(page, wanted: set[str], timeout: float = 120) -> str:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = panel_status(page)
        if status in wanted:
            return status
        time.sleep(0.2)
    raise AssertionError(f"status stayed {panel_status(page)!r}, wanted {wanted}")


def test_student_watches_the_curve_grow_then_gets_a_grade(site, page, student, password, lab) -> None:  # type: ignore[no-untyped-def]
    frames: list[str] = []
    started = time.monotonic()
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived", lambda p: frames.append(f"{time.monotonic() - started:.2f} {str(p)[:70]}")
        ),
    )
    page.on("console", lambda m: frames.append(f"console {m.text[:100]}"))
    page.on("websocket", lambda ws: frames.append(f"{time.monotonic() - started:.2f} open {ws.url[-12:]}"))
    page.on(
        "websocket",
        lambda ws: ws.on("close", lambda _: frames.append(f"{time.monotonic() - started:.2f} closed")),
    )
    log_in(page, site, student, password)
    page.goto(f"{site}/labs/{lab.uuid}/")
    write_code(page, TORCH_FIT.format(steps=300, pause=0.03))
    page.get_by_role("button", name="Run", exact=True).click()
    wait_status(page, {"running"})
    deadline = time.monotonic() + 60
    while chart_points(page) == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    first = chart_points(page)
    time.sleep(1.0)
    second = chart_points(page)
    assert panel_status(page) == "running", "the run ended before the second sample:\n" + "\n".join(
        frames[:30] + frames[-5:]
    )
    assert 0 < first < second, f"chart did not grow while running: {first} then {second}"
    assert wait_status(page, {"succeeded", "failed", "lost", "timed_out"}) == "succeeded"
    grade = page.locator("[data-role=grade]")
    grade.wait_for(state="visible")
    assert "3.0 / 3.0" in grade.inner_text() or "3 / 3" in grade.inner_text()
    assert page.locator(".check-passed").count() == 2
    assert "The training loss falls" in grade.inner_text()
    job = Job.objects.get(user=student)
    assert job.status == "succeeded" and job.score == job.max_score == 3
    assert JobMetric.objects.filter(job=job, name="loss").count() == 300


def test_cancel_a_running_job_from_the_page(site, page, student, password, lab) -> None:  # type: ignore[no-untyped-def]
    log_in(page, site, student, password)
    page.goto(f"{site}/labs/{lab.uuid}/")
    write_code(page, TORCH_FIT.format(steps=100000, pause=0.05))
    page.get_by_role("button", name="Run", exact=True).click()
    wait_status(page, {"running"})
    while chart_points(page) < 3:
        time.sleep(0.1)
    page.get_by_role("button", name="Cancel").click()
    assert wait_status(page, {"cancelled", "succeeded", "failed"}, timeout=30) == "cancelled"
    assert "cancelled" in page.locator("[data-role=message]").inner_text()
    assert Job.objects.get(user=student).status == "cancelled"


def test_reload_mid_run_restores_the_whole_curve_without_duplicates(
    site, page, student, password, lab
) -> None:  # type: ignore[no-untyped-def]
    log_in(page, site, student, password)
    page.goto(f"{site}/labs/{lab.uuid}/")
    write_code(page, TORCH_FIT.format(steps=200, pause=0.03))
    page.get_by_role("button", name="Run", exact=True).click()
    wait_status(page, {"running"})
    while chart_points(page) < 40:
        time.sleep(0.1)
    page.reload()
    assert panel_status(page) in (None, "running", "succeeded")
    wait_status(page, {"succeeded"}, timeout=120)
    time.sleep(0.5)
    xs = page.evaluate("document.getElementById('job-chart').data.filter(d => d.name === 'loss')[0].x")
    assert len(xs) == len(set(xs)) == 200, f"{len(xs)} points, {len(set(xs))} distinct"
    assert xs == sorted(xs)
