"""Serve the app with gunicorn on loopback and drive it with locust, one URL at a time."""

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


@dataclass
class Result:
    name: str
    path: str
    requests: int
    failures: int
    rps: float
    median_ms: float
    p95_ms: float
    # The trivial view's req/s measured around this row (see `manage.py bench`).
    ceiling: float = 0.0
    ratio: float = 0.0
    queries: int | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn with the repo's configuration, bound to a free loopback port."""

    def __init__(self, workers: int = 2, **env_overrides: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_ACCESS_LOG": "",
            **env_overrides,
        }
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.proc = subprocess.Popen(  # noqa: S603
            [str(gunicorn), "proctique.wsgi", "-c", "gunicorn.conf.py"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2)  # noqa: S310
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def get(self, path: str) -> float:
        started = time.perf_counter()
        with urllib.request.urlopen(f"{self.url}{path}", timeout=30) as response:  # noqa: S310
            response.read()
        return (time.perf_counter() - started) * 1000

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _percentile(histogram: dict[str, int], fraction: float) -> float:
    points = sorted((float(k), v) for k, v in histogram.items())
    total = sum(v for _, v in points)
    if not total:
        return 0.0
    seen = 0
    for value, count in points:
        seen += count
        if seen >= fraction * total:
            return value
    return points[-1][0]


def run_locust(
    server: Gunicorn, name: str, path: str, *, users: int, seconds: int, env: dict
) -> Result:
    """One headless locust run against `path`; figures from its JSON summary."""
    locust = Path(sys.executable).with_name("locust")
    completed = subprocess.run(  # noqa: S603
        [
            str(locust),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--only-summary",
            "--json",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--host",
            server.url,
            "--stop-timeout",
            "5",
        ],
        cwd=BASE_DIR,
        env={**os.environ, "BENCH_PATH": path, **env},
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    stats = json.loads(completed.stdout or "[]")
    if not stats:
        # One URL without figures must not lose the whole table: report it as a failed row.
        sys.stderr.write(f"locust produced no figures for {name}:\n{completed.stderr[-2000:]}\n")
        return Result(name=name, path=path, requests=0, failures=1, rps=0.0, median_ms=0, p95_ms=0)
    entry = stats[0]
    duration = max(entry["last_request_timestamp"] - entry["start_time"], 1e-6)
    return Result(
        name=name,
        path=path,
        requests=entry["num_requests"],
        failures=entry["num_failures"],
        rps=round(entry["num_requests"] / duration, 1),
        median_ms=_percentile(entry["response_times"], 0.5),
        p95_ms=_percentile(entry["response_times"], 0.95),
    )


def uncached_latency(path: str, *, samples: int, workers: int) -> tuple[float, float]:
    """Median and p95 of sequential requests to a server with page and fragment caches off."""
    server = Gunicorn(workers=workers, PAGE_CACHE_SECONDS="0", FRAGMENT_CACHE_SECONDS="0")
    try:
        for _ in range(3):  # warm connections and Django's own caches (site root, categories)
            server.get(path)
        timings = [server.get(path) for _ in range(samples)]
    finally:
        server.stop()
    timings.sort()
    return round(statistics.median(timings), 1), round(timings[int(0.95 * (len(timings) - 1))], 1)


def write_json(results: list[Result], extra: dict, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / time.strftime("bench-%Y%m%d-%H%M%S.json")
    path.write_text(json.dumps({"results": [asdict(r) for r in results], **extra}, indent=2))
    return path
