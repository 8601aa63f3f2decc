"""The data-size sweep: what one anonymous project-list request costs at 1k, 10k and 100k projects.

Each size gets its own database, copied from a migrated template and dropped afterwards, so sizes
never mix and the bench's own data is never touched. A child process per size loads the data
(bulk inserts, as `manage.py bench` does) and times requests in-process through Django's test
client with the response cache off: the server's own cost, without network, gunicorn or
the public cache in front.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

SIZES = (1_000, 10_000, 100_000)
TEMPLATE = "proctique_bench_sweep_template"
# What the sweep reads: the default page, a filtered page, a deep page and a sort by rating;
# and the trivial view, whose cost does not grow with the data: each size is timed in its own
# process at its own moment, and this row shows how fast the shared host was then.
PATHS = [
    ("trivial view (host speed)", "/healthz"),
    ("API projects", "/api/projects/"),
    ("API projects ?category=", "/api/projects/?category=bench-category-3"),
    ("API projects ?page=40", "/api/projects/?page=40"),
    ("API projects ?sort=top", "/api/projects/?sort=top"),
]


@dataclass
class Timing:
    projects: int
    name: str
    path: str
    median_ms: float
    p95_ms: float
    # This process's own CPU per request (median): what the code costs when the shared machine
    # makes wall-clock time wait for other work.
    cpu_ms: float
    queries: int
    count: int | None


def label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def _execute(sql: str) -> None:
    # CREATE / DROP DATABASE refuse to run in a transaction; Django's connection autocommits.
    with connection.cursor() as cursor:
        cursor.execute(sql)


def _manage(name: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url(name)}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def run(sizes: tuple[int, ...], *, samples: int, keep: bool, log) -> list[Timing]:
    """Time the listing at each size, each in a fresh database; drop the databases after."""
    _execute(f'DROP DATABASE IF EXISTS "{TEMPLATE}"')
    _execute(f'CREATE DATABASE "{TEMPLATE}"')
    created = [TEMPLATE]
    timings: list[Timing] = []
    try:
        migrated = _manage(TEMPLATE, "migrate", "--noinput", "-v0")
        if migrated.returncode:
            raise RuntimeError(f"migrate failed:\n{migrated.stderr[-2000:]}")
        for size in sizes:
            name = f"proctique_bench_{label(size)}"
            _execute(f'DROP DATABASE IF EXISTS "{name}"')
            _execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
            created.append(name)
            started = time.monotonic()
            child = _manage(name, "bench_sweep", "--child", str(size), "--samples", str(samples))
            if child.returncode:
                raise RuntimeError(f"sweep at {size} failed:\n{child.stderr[-3000:]}")
            rows = json.loads(child.stdout.strip().splitlines()[-1])
            timings.extend(Timing(**row) for row in rows)
            log(f"  {label(size)} projects: loaded and timed in {time.monotonic() - started:.0f} s")
            if not keep:
                _execute(f'DROP DATABASE "{name}"')
                created.remove(name)
    finally:
        if not keep:
            for name in created:
                _execute(f'DROP DATABASE IF EXISTS "{name}"')
    return timings


@contextmanager
def counting():
    """The SQL statements run inside the block, as a list.

    Not CaptureQueriesContext: each request (test client too) starts by emptying the
    connection's query log, so that context counts nothing across a request.
    """
    statements: list[str] = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield statements


def measure(projects: int, *, samples: int) -> list[Timing]:
    """Median and p95 of sequential anonymous GETs of each sweep path, response cache off.

    The paths take turns, one request each per round: a slow spell of the shared host falls on
    all of them alike, not on whichever path it was measuring then.
    """
    client = Client()
    wall: dict[str, list[float]] = {path: [] for _, path in PATHS}
    cpu: dict[str, list[float]] = {path: [] for _, path in PATHS}
    statements: dict[str, int] = {}
    counts: dict[str, int | None] = {}
    with override_settings(PAGE_CACHE_SECONDS=0, FRAGMENT_CACHE_SECONDS=0):
        for _, path in PATHS:
            for _ in range(5):  # warm the process: site root, categories, first-use imports
                client.get(path, HTTP_HOST="127.0.0.1")
            with counting() as queries:
                response = client.get(path, HTTP_HOST="127.0.0.1")
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
            statements[path], counts[path] = len(queries), response.json().get("count")
        for _ in range(samples):
            for _, path in PATHS:
                started, started_cpu = time.perf_counter(), time.process_time()
                client.get(path, HTTP_HOST="127.0.0.1")
                wall[path].append((time.perf_counter() - started) * 1000)
                cpu[path].append((time.process_time() - started_cpu) * 1000)
    results = []
    for name, path in PATHS:
        timings = sorted(wall[path])
        results.append(
            Timing(
                projects=projects,
                name=name,
                path=path,
                median_ms=round(statistics.median(timings), 2),
                p95_ms=round(timings[int(0.95 * (len(timings) - 1))], 2),
                cpu_ms=round(statistics.median(cpu[path]), 2),
                queries=statements[path],
                count=counts[path],
            )
        )
    return results


def table(timings: list[Timing]) -> list[str]:
    """The sweep as text: one row per path, one median column per size (p95 in brackets)."""
    sizes = sorted({t.projects for t in timings})
    header = f"{'median ms (p95) / CPU ms, SQL':<28}" + "".join(
        f"{label(s) + ' projects':>26}" for s in sizes
    )
    lines = [header, "-" * len(header)]
    for name, _ in PATHS:
        cells = []
        for size in sizes:
            hit = next((t for t in timings if t.name == name and t.projects == size), None)
            cells.append(
                f"{hit.median_ms:.1f} ({hit.p95_ms:.1f}) / {hit.cpu_ms:.1f}, {hit.queries}"
                if hit
                else "-"
            )
        lines.append(f"{name:<28}" + "".join(f"{cell:>26}" for cell in cells))
    return lines


def write_json(timings: list[Timing], extra: dict, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / time.strftime("sweep-%Y%m%d-%H%M%S.json")
    path.write_text(json.dumps({"sweep": [asdict(t) for t in timings], **extra}, indent=2))
    return path
