"""Locust scenarios for `manage.py bench`; BENCH_TARGET picks one, BENCH_PATH its URL."""

import itertools
import os
import random

from locust import FastHttpUser, constant, task

TARGET = os.environ.get("BENCH_TARGET", "get")
PATH = os.environ.get("BENCH_PATH", "/healthz")
PROJECT_IDS = [int(x) for x in os.environ.get("BENCH_PROJECT_IDS", "").split(",") if x]
# Access tokens of distinct bench users, one per locust user (minted by the bench command).
TOKENS = [token for token in os.environ.get("BENCH_TOKENS", "").split(",") if token]
_next_token = itertools.count()


class PageReader(FastHttpUser):
    """Reads one URL as fast as the server answers."""

    wait_time = constant(0)
    abstract = TARGET != "get"

    @task
    def read(self):
        self.client.get(PATH, name=PATH)


class ReviewPoster(FastHttpUser):
    """Posts reviews to projects as a bench user of its own (each user signed in already)."""

    wait_time = constant(0)
    abstract = TARGET != "review_post"

    def on_start(self):
        self.token = TOKENS[next(_next_token) % len(TOKENS)]
        # Each project once per user: a second review of the same project is a (correct) 400.
        self.projects = random.sample(PROJECT_IDS, len(PROJECT_IDS))

    @task
    def post_review(self):
        if not self.projects:
            self.projects = random.sample(PROJECT_IDS, len(PROJECT_IDS))
        project = self.projects.pop()
        self.client.post(
            PATH.format(project=project),
            json={
                "rating": random.randint(1, 5),
                "title": "Bench review",
                "body": f"Posted by the benchmark {random.random()}",
            },
            headers={"Authorization": f"Bearer {self.token}"},
            name="review POST",
        )
