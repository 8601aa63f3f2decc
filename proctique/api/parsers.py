"""JSON bodies with a bounded nesting depth: DRF's parser lets RecursionError escape (a 500)
on a few thousand nested brackets, which any unauthenticated endpoint would accept."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def _depth_exceeds(data, limit: int) -> bool:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return False


class BoundedJSONParser(JSONParser):
    """JSON, nested at most MAX_DEPTH levels; deeper or unparsable bodies are a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None
        if _depth_exceeds(data, MAX_DEPTH):
            raise ParseError(f"JSON parse error - nest at most {MAX_DEPTH} levels.")
        return data
