"""Demo reviews for `manage.py seed_demo`: varied ratings, owners' replies and helpful votes.

Written through the reviews app's own services, so ratings, aggregates and cache versions are
exactly what a real review makes. Idempotent: reviewers are matched by email and a review that
exists is left alone. Some projects get no review, so the site shows its unrated state too.
"""

from django.contrib.auth import get_user_model

from reviews.models import Review
from reviews.services import helpful_mark, reply_set, review_submit
from showcase.models import ProjectPage

REVIEWERS = [
    ("priya", "Priya Natarajan"),
    ("tom", "Tom Becker"),
    ("lena", "Lena Fischer"),
    ("kofi", "Kofi Mensah"),
    ("sara", "Sara Lindqvist"),
    ("mateo", "Mateo Rossi"),
]
TEXTS = [
    ("Does exactly what it says", "Set up in five minutes and it has been reliable for weeks. "
     "The documentation is short and to the point."),
    ("A joy to use", "Thoughtful defaults, quick, and the author answers issues fast."),
    ("Great start", "Solid core. I would love an export option, but it already saves me time."),
    ("Recommended", "Clean, fast and well documented. I showed it to my whole team."),
    ("Good, with rough edges", "Works well once configured; the first run was confusing."),
    ("Not for me yet", "The idea is good, but it crashed twice on my projects. Watching it."),
]  # fmt: skip
# Per reviewed project (newest first): how many reviewers, and the rating each gives.
RATINGS = [
    [5, 5, 4, 5, 4, 5],
    [4, 5, 4],
    [3, 4, 2, 4],
    [5],
    [4, 4, 5, 3, 4],
    [2, 3],
    [5, 4],
    [4, 3, 4],
    [5, 5, 5, 4],
    [3],
]
REPLY = "Thank you for trying it and for the detailed notes. The next release addresses this."


def ensure_reviewers() -> list:
    User = get_user_model()
    people = []
    for handle, name in REVIEWERS:
        user, _ = User.objects.get_or_create(
            email=f"{handle}@reviewers.proctique.test",
            defaults={"username": f"{handle}-reviews", "display_name": name},
        )
        people.append(user)
    return people


def ensure_reviews() -> int:
    """Reviews on every third demo project from the newest, a reply under some, helpful votes
    on the most useful; returns how many reviews were made."""
    people = ensure_reviewers()
    projects = list(
        ProjectPage.objects.discoverable().filter(slug__startswith="demo-").order_by("-pk")[::3]
    )
    made = 0
    for index, (project, ratings) in enumerate(zip(projects, RATINGS, strict=False)):
        for offset, rating in enumerate(ratings):
            author = people[(index + offset) % len(people)]
            review = Review.objects.filter(project=project, author=author).first()
            if review is None:
                title, body = TEXTS[(index + 2 * offset) % len(TEXTS)]
                # The service refuses the same text twice from one person, as it would spam.
                body = f"{body} I tried {project.title} on two of my own projects."
                review = review_submit(
                    author=author, project=project, rating=rating, title=title, body=body
                )
                made += 1
            if rating <= 3 and offset == 0:
                reply_set(review=review, actor=project.owner, body=REPLY)
            if offset == 0:
                for voter in people:
                    if voter.pk != author.pk:
                        helpful_mark(review=review, user=voter)
    return made
