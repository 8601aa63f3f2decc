"""Rich text from any route is cleaned to exactly the features its field allows.

The Draftail editor only produces what its features allow, but a StreamField value set through
the REST API (or any code) is stored as given. `clean_rich_text()` runs the stored HTML through
nh3 (which drops scripts, styles and unsafe URLs with their content), then through Wagtail's own
converter for the field's features, which keeps exactly the elements and attributes those
features define (page links stay page links).
"""

import nh3

# Elements whose content is dropped with them, not kept as text.
DROPPED_WITH_CONTENT = {"script", "style", "template", "iframe", "object", "embed", "noscript"}


def clean_rich_text(html: str, features: list[str] | None) -> str:
    """Database-format HTML reduced to the given editor features (None: Wagtail's default)."""
    if not html:
        return ""
    # Keep Wagtail's own link and embed attributes through the first pass.
    stripped = nh3.clean(
        html,
        tags=nh3.ALLOWED_TAGS | {"embed"},
        clean_content_tags=DROPPED_WITH_CONTENT - {"embed"},
        attributes={"a": {"href", "linktype", "id"}, "embed": {"embedtype", "url", "format"}},
        link_rel=None,
        url_schemes={"http", "https", "mailto", "tel"},
    )
    # Wagtail's admin converters load page models on import, and this module is imported while
    # models load (StreamField blocks); import them at first use.
    from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

    converter = EditorHTMLConverter(features=features)
    return converter.to_database_format(converter.from_database_format(stripped))
