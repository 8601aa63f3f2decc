"""JSON bodies DRF's parser would let through to a 500: nested a few thousand levels deep
(RecursionError, on any endpoint, unauthenticated ones included), or holding lone UTF-16
surrogates (`"\\ud800"` is valid JSON, but no database or email can encode it)."""

import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32
SURROGATE = re.compile(r"[\ud800-\udfff]")


def _problem(data, limit: int) -> str | None:
    """What is wrong with a parsed body, or None (iterative: no recursion to exhaust)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return f"JSON parse error - nest at most {limit} levels."
        if isinstance(value, dict):
            stack.extend((k, depth) for k in value)
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
        elif isinstance(value, str) and SURROGATE.search(value):
            return "JSON parse error - the body holds an unpaired UTF-16 surrogate."
    return None


class BoundedJSONParser(JSONParser):
    """JSON, nested at most MAX_DEPTH levels, in valid Unicode; anything else is a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None
        problem = _problem(data, MAX_DEPTH)
        if problem:
            raise ParseError(problem)
        return data
