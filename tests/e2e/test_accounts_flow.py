"""A new user signs up, logs out, logs in, sees their dashboard, and their websocket connects."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PASSWORD = re.compile(r"^Password:?$")

OPEN_SOCKET = """
(path) => new Promise((resolve) => {
  const url = location.origin.replace(/^http/, "ws") + path;
  const ws = new WebSocket(url);
  ws.onmessage = (e) => { resolve({opened: true, first: JSON.parse(e.data)}); ws.close(); };
  ws.onclose = (e) => resolve({opened: false, code: e.code});
  setTimeout(() => resolve({opened: false, code: -1}), 8000);
})
"""


def test_sign_up_log_in_dashboard_and_websocket(site: str, page, browser) -> None:  # type: ignore[no-untyped-def]
    page.goto(site + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Email").fill("new.learner@example.org")
    page.get_by_label(PASSWORD).fill("a-long-unusual-passphrase-42")
    page.get_by_label("Password (again)").fill("a-long-unusual-passphrase-42")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(site + "/dashboard/")
    expect(page.get_by_test_id("student-dashboard")).to_be_visible()

    result = page.evaluate(OPEN_SOCKET, "/ws/me/")
    assert result == {"opened": True, "first": {"type": "hello", "user": "new.learner@example.org"}}

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(site + "/")
    anonymous = page.evaluate(OPEN_SOCKET, "/ws/me/")
    assert anonymous["opened"] is False

    page.goto(site + "/accounts/login/")
    page.get_by_label("Email").fill("new.learner@example.org")
    page.get_by_label(PASSWORD).fill("a-long-unusual-passphrase-42")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(site + "/dashboard/")
    expect(page.get_by_text("new.learner@example.org").first).to_be_visible()


def test_wrong_password_shows_a_clear_error(site: str, page, student) -> None:  # type: ignore[no-untyped-def]
    page.goto(site + "/accounts/login/")
    page.get_by_label("Email").fill(student.email)
    page.get_by_label(PASSWORD).fill("not the password")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("not correct").first).to_be_visible()


def test_layout_works_on_a_phone(site: str, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(site + "/")
    toggle = page.get_by_role("button", name="Menu")
    expect(toggle).to_be_visible()
    nav_login = page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")
    expect(nav_login).to_be_hidden()
    toggle.click()
    expect(nav_login).to_be_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"
    context.close()
