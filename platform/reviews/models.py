"""The rubric a capstone is reviewed against: criteria, each with scored levels."""

from __future__ import annotations

from django.db import models

from capstones.models import Capstone
from catalog.models import ContentItem


class Rubric(ContentItem):
    KIND = "rubric"
    CONTENT_FIELDS = ()

    capstone = models.ForeignKey(Capstone, on_delete=models.PROTECT, related_name="rubrics")

    def __str__(self) -> str:
        return f"Rubric of {self.capstone}"

    @property
    def max_points(self) -> float:
        """Return the most points a submission can earn."""
        return sum(max((lv.points for lv in c.levels.live()), default=0) for c in self.criteria.live())


class Criterion(ContentItem):
    KIND = "criterion"
    CONTENT_FIELDS = ("title", "description")

    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="criteria")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta(ContentItem.Meta):
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return self.title


class Level(ContentItem):
    KIND = "level"
    CONTENT_FIELDS = ("title", "points", "description")

    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="levels")
    title = models.CharField(max_length=200)
    points = models.FloatField()
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.title} ({self.points:g})"
