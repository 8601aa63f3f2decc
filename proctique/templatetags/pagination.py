"""Numbered pagination for any listing: `{% page_range page_obj as numbers %}` gives the page
numbers to show (with "…" gaps), `{% page_query n %}` the current query string on page n."""

from django import template

register = template.Library()


@register.simple_tag
def page_range(page_obj) -> list:
    """Page numbers around the current one, the first and the last, `…` between gaps."""
    return list(
        page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    )


@register.simple_tag(takes_context=True)
def page_query(context, number) -> str:
    """`?…&page=n`: the request's query string with another page number."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"
