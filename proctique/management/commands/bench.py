"""`manage.py bench`: load a large data set, serve it with gunicorn, measure it with locust."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from accounts.tokens import token_pair
from proctique.bench import data, runner, sweep
from showcase.models import ProjectPage

# Seconds of each re-measurement of the trivial view between two rows.
CEILING_SECONDS = 5


class Command(BaseCommand):
    help = "Benchmark the public pages, the APIs and a review POST under load (PostgreSQL + Redis)."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=15, help="load time per URL")
        parser.add_argument("--users", type=int, default=16, help="concurrent locust users")
        parser.add_argument("--scale", type=float, default=1.0, help="fraction of the data set")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")

    def handle(self, *args, **opts):
        if connection.vendor != "postgresql" or not settings.REDIS_URL:
            raise CommandError("bench needs DATABASE_URL (PostgreSQL) and REDIS_URL set")
        size = data.BenchData(
            projects=int(10_000 * opts["scale"]),
            users=max(1_000, int(5_000 * opts["scale"])),
            reviews=int(100_000 * opts["scale"]),
        )
        call_command("migrate", verbosity=0, interactive=False)
        self.stdout.write(f"Loading data set: {size}")
        data.load(size, log=self.stdout.write)

        popular = ProjectPage.objects.get(slug=data.POPULAR_SLUG)
        posters = self._posters(opts["users"])
        targets = [
            ("trivial view (ceiling)", "/healthz"),
            ("home", "/"),
            ("projects index", "/projects/"),
            ("projects search", "/projects/?q=python"),
            ("project, 1,000 reviews", popular.url),
            ("API projects", "/api/projects/"),
            ("API projects ?category=", "/api/projects/?category=bench-category-3"),
            ("API project detail", f"/api/projects/{popular.pk}/"),
            ("API reviews, 1,000", f"/api/projects/{popular.pk}/reviews/"),
            ("API categories", "/api/categories/"),
            ("API v2 pages", "/api/v2/pages/?type=showcase.ProjectPage"),
            ("API v2 page detail", f"/api/v2/pages/{popular.pk}/"),
        ]
        queries = self._query_counts([path for _, path in targets])

        server = runner.Gunicorn(workers=opts["workers"])
        results = []
        try:
            for name, path in targets:  # warm caches and connections
                try:
                    for _ in range(3):
                        server.get(path)
                except OSError as exc:
                    self.stderr.write(f"  warning: {name} ({path}) answered {exc}")
            # The host's speed drifts over a run of minutes (the trivial view has measured
            # 640 to 1,100 req/s within one): each row is set against the trivial view
            # measured just before and just after it.
            ceilings = []
            for name, path in targets:
                if results:
                    ceilings.append(self._ceiling(server, opts["users"]))
                result = runner.run_locust(
                    server,
                    name,
                    path,
                    users=opts["users"],
                    seconds=opts["seconds"],
                    env={"BENCH_TARGET": "get"},
                )
                result.queries = queries.get(path)
                results.append(result)
                self.stdout.write(f"  measured {name}: {result.rps} req/s")
            ceilings.append(self._ceiling(server, opts["users"]))
            results.append(
                runner.run_locust(
                    server,
                    "review POST (API)",
                    "/api/projects/{project}/reviews/",
                    users=opts["users"],
                    # A POST answers ten times slower than a read: a longer window counts
                    # enough of them for a steady rate past the workers' warm-up.
                    seconds=opts["seconds"] + 30,
                    env={
                        "BENCH_TARGET": "review_post",
                        "BENCH_PROJECT_IDS": ",".join(map(str, self._open_to(posters))),
                        "BENCH_TOKENS": ",".join(token_pair(user)["access"] for user in posters),
                    },
                )
            )
            ceilings.append(self._ceiling(server, opts["users"]))
        finally:
            server.stop()
        uncached = runner.uncached_latency(popular.url, samples=40, workers=opts["workers"])

        results[0].ceiling = results[0].rps
        for result, before, after in zip(results[1:], ceilings[:-1], ceilings[1:], strict=True):
            result.ceiling = round((before + after) / 2, 1)
        for result in results:
            result.ratio = round(result.rps / (result.ceiling or 1), 2)
        self._print(results, uncached)
        path = runner.write_json(
            results,
            {
                "uncached_project_page_ms": {"median": uncached[0], "p95": uncached[1]},
                "data_set": vars(size),
                "users": opts["users"],
                "seconds": opts["seconds"],
                "workers": opts["workers"],
            },
            settings.BASE_DIR / "var" / "bench",
        )
        self.stdout.write(f"Figures written to {path.relative_to(settings.BASE_DIR)}")

    def _ceiling(self, server, users: int) -> float:
        """The trivial view's req/s over a short window, between two rows."""
        result = runner.run_locust(
            server,
            "trivial view",
            "/healthz",
            users=users,
            seconds=CEILING_SECONDS,
            env={"BENCH_TARGET": "get"},
        )
        return result.rps

    def _posters(self, count: int) -> list:
        """`count` distinct bench users, one per locust user. Their access tokens are minted
        here, not by signing in from locust: the sign-in's deliberately slow password hash
        would share the cores with the first seconds of the POSTs being measured."""
        users = get_user_model().objects.filter(username__startswith="bench").order_by("?")
        return list(users[:count])

    def _open_to(self, users: list) -> list[int]:
        """Live projects that none of `users` owns, co-makes or has reviewed, so that every
        POST is a review its author may post (a refused one answers faster than a created
        one and would flatter the rate); the bench database keeps the reviews of past runs."""
        projects = (
            ProjectPage.objects.live()
            .exclude(owner__in=users)
            .exclude(members__user__in=users)
            .exclude(reviews__author__in=users)
        )
        return list(projects.values_list("pk", flat=True)[:2_000])

    def _query_counts(self, paths: list[str]) -> dict[str, int]:
        """SQL queries per page, measured in-process on a cold cache."""
        client = Client()
        counts = {}
        for path in paths:
            for alias in settings.CACHES:
                caches[alias].clear()
            with sweep.counting() as queries:
                client.get(path, HTTP_HOST="127.0.0.1")
            counts[path] = len(queries)
        return counts

    def _print(self, results, uncached) -> None:
        header = (
            f"{'page':<26} {'req/s':>8} {'median ms':>10} {'p95 ms':>8} "
            f"{'ceiling':>8} {'vs ceiling':>10} {'SQL':>5} {'fail':>5}"
        )
        self.stdout.write("\n" + header)
        self.stdout.write("-" * len(header))
        for r in results:
            self.stdout.write(
                f"{r.name:<26} {r.rps:>8.1f} {r.median_ms:>10.0f} {r.p95_ms:>8.0f} "
                f"{r.ceiling:>8.1f} {r.ratio:>10.2f} "
                f"{r.queries if r.queries is not None else '-':>5} {r.failures:>5}"
            )
        self.stdout.write(
            "\nUncached project page with 1,000 reviews: "
            f"median {uncached[0]} ms, p95 {uncached[1]} ms"
        )
