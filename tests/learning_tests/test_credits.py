"""The course shows where its data sets and models come from, with licences and attributions."""

from __future__ import annotations

import pytest

from catalog.services import course_import
from tests.support.servers import ROOT


@pytest.mark.django_db
def test_credits_page_lists_every_manifest_entry(client, student) -> None:  # type: ignore[no-untyped-def]
    course_import(path=ROOT / "courses" / "llm-masterclass")
    client.force_login(student)
    course_page = client.get("/courses/llm-masterclass/").content.decode()
    assert "/courses/llm-masterclass/credits/" in course_page
    page = client.get("/courses/llm-masterclass/credits/").content.decode()
    assert "Rufus Pollock" in page and "CC-BY" in page
    assert 'id="shakespeare-complete-works"' in page and "sklearn-diabetes" in page


@pytest.mark.django_db
def test_credits_of_a_course_you_may_not_see_are_404(client, student) -> None:  # type: ignore[no-untyped-def]
    client.force_login(student)
    assert client.get("/courses/no-such-course/credits/").status_code == 404
