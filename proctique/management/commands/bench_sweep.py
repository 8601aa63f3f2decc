"""`manage.py bench_sweep`: the anonymous project list's in-process cost as the data grows."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from proctique.bench import data, sweep


def _sizes(raw: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in raw.split(","))
    except ValueError:
        raise CommandError("--sizes takes numbers separated by commas") from None
    if not sizes or min(sizes) < 100:
        raise CommandError("--sizes: at least 100 projects each")
    return sizes


class Command(BaseCommand):
    help = "Time GET /api/projects/ (anonymous, caches off) at several data-set sizes."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default=",".join(map(str, sweep.SIZES)))
        parser.add_argument("--samples", type=int, default=200, help="requests timed per path")
        parser.add_argument("--keep", action="store_true", help="keep the sweep databases")
        # Internal: load and time one size in the database DATABASE_URL names.
        parser.add_argument("--child", type=int, help="(internal) projects to load and time")

    def handle(self, *args, **opts):
        if connection.vendor != "postgresql" or not settings.REDIS_URL:
            raise CommandError("bench_sweep needs DATABASE_URL (PostgreSQL) and REDIS_URL set")
        if opts["child"]:
            self._child(opts["child"], opts["samples"])
            return
        sizes = _sizes(opts["sizes"])
        self.stdout.write(f"Data-size sweep at {', '.join(map(sweep.label, sizes))} projects")
        try:
            timings = sweep.run(
                sizes, samples=opts["samples"], keep=opts["keep"], log=self.stdout.write
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("\n" + "\n".join(sweep.table(timings)))
        path = sweep.write_json(
            timings, {"samples": opts["samples"]}, settings.BASE_DIR / "var" / "bench"
        )
        self.stdout.write(f"Sweep written to {path.relative_to(settings.BASE_DIR)}")

    def _child(self, projects: int, samples: int) -> None:
        size = data.BenchData(
            projects=projects, users=1_000, reviews=projects, popular_reviews=min(1_000, projects)
        )
        data.load(size, log=lambda _line: None, search_index=False)
        timings = sweep.measure(projects, samples=samples)
        # The parent reads the last line.
        self.stdout.write(json.dumps([vars(t) for t in timings]))
