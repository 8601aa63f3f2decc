"""Admin routes that must be guarded before Wagtail's own (mounted ahead of its admin URLs).

Wagtail's page types report names the last edited page of each type for anyone with page
permissions, whoever owns it; only those who manage every project may see it.
"""

from django.urls import path

from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView

from showcase.wagtail_hooks import managers_only

urlpatterns = [
    path(
        "reports/page-types-usage/",
        managers_only(PageTypesUsageReportView.as_view()),
        name="page_types_usage_guarded",
    ),
    path(
        "reports/page-types-usage/results/",
        managers_only(PageTypesUsageReportView.as_view(results_only=True)),
        name="page_types_usage_results_guarded",
    ),
]
