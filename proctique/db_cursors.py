"""The PostgreSQL cursor: parameters bound on the server, so repeated statements are prepared.

Server-side binding sends each parameter in the protocol, which takes at most 65,535 of them in
one statement; client-side binding (Django's default) writes them into the SQL text and has no
such limit. A statement with more (a bulk insert of many rows, an `IN` over a long list of ids)
is written out on the client, as Django's default cursor would send it, instead of failing.
"""

from typing import Self

from psycopg import ClientCursor
from psycopg.abc import Params, Query

from django.db.backends.postgresql.base import ServerBindingCursor

# The extended query protocol counts parameters in a 16-bit field.
MAX_BOUND_PARAMETERS = 65_535


class PreparingCursor(ServerBindingCursor):
    def execute(self, query: Query, params: Params | None = None, **kwargs) -> Self:
        if params is not None and len(params) > MAX_BOUND_PARAMETERS:
            query, params = ClientCursor(self.connection).mogrify(query, params), None
        return super().execute(query, params, **kwargs)
