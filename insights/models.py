from django.db import models


class ProjectDay(models.Model):
    """One project's counts for one day, flushed from the live counters (insights.counting).

    `visitors` counts each visitor once per project per day; no address, user agent or
    visitor hash is ever stored here.
    """

    project = models.ForeignKey(
        "showcase.ProjectPage", on_delete=models.CASCADE, related_name="daily_insights"
    )
    day = models.DateField()
    visitors = models.PositiveIntegerField(default=0)
    repository_clicks = models.PositiveIntegerField(default=0)
    demo_clicks = models.PositiveIntegerField(default=0)
    website_clicks = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["project", "day"], name="one_insights_row_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} on {self.day}"
