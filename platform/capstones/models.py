"""The capstone project specification of a course."""

from __future__ import annotations

from django.db import models

from catalog.models import ContentItem, Course


class Capstone(ContentItem):
    KIND = "capstone"
    CONTENT_FIELDS = ("title", "brief")

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="capstones")
    title = models.CharField(max_length=200)
    brief = models.TextField(help_text="Markdown: the project and what to submit.")

    def __str__(self) -> str:
        return self.title
