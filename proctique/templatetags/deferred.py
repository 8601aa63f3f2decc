"""`{% withdeferred name %}…{% enddeferred %}`: compute a context only where it is rendered.

Page views put a `Deferred` in the context for their expensive parts; wrapping the markup
that uses them in a fragment cache then saves the queries too, not just the rendering.
"""

from collections.abc import Callable

from django import template

register = template.Library()


class Deferred:
    """A dict computed on first use and then remembered (templates call it when resolved)."""

    def __init__(self, compute: Callable[[], dict]):
        self._compute = compute
        self._value: dict | None = None

    def __call__(self) -> dict:
        if self._value is None:
            self._value = self._compute()
        return self._value


class WithDeferredNode(template.Node):
    def __init__(self, variable: template.base.FilterExpression, nodelist: template.NodeList):
        self.variable = variable
        self.nodelist = nodelist

    def render(self, context) -> str:
        values = self.variable.resolve(context) or {}
        with context.push(**values):
            return self.nodelist.render(context)


@register.tag("withdeferred")
def do_withdeferred(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("withdeferred takes one variable")
    nodelist = parser.parse(("enddeferred",))
    parser.delete_first_token()
    return WithDeferredNode(parser.compile_filter(bits[1]), nodelist)
