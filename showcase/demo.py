"""Demo content for `manage.py seed_demo`: a site, its pages and demo logins. Idempotent."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from accounts.roles import ensure_role_groups
from showcase.demo_projects import ensure_projects
from showcase.models import HomePage, ProjectIndexPage
from showcase.moderation import apply_project_moderation, ensure_project_moderation_workflow


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    username: str
    display_name: str
    password: str


DEMO_LOGINS = [
    DemoLogin("admin", "admin@proctique.test", "admin", "Ada Admin", "demo-admin-pass"),
    DemoLogin("author", "alice@proctique.test", "alice", "Alice Author", "demo-author-pass"),
    DemoLogin("author", "bob@proctique.test", "bob", "Bob Builder", "demo-author-pass"),
    DemoLogin("user", "uma@proctique.test", "uma", "Uma User", "demo-user-pass"),
]


def ensure_wagtail_baseline() -> None:
    """The rows Wagtail's migrations create (default locale, root page, root collection).

    A database flushed between transactional tests loses them; recreating them is harmless.
    """
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", live=True))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def ensure_site() -> tuple[HomePage, ProjectIndexPage]:
    """The home page as the default site's root, with the projects index below it."""
    ensure_wagtail_baseline()
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's install leaves a placeholder "Welcome" page; the home page replaces it.
        for placeholder in root.get_children():
            if placeholder.specific_class is Page:
                Site.objects.filter(root_page=placeholder).delete()
                placeholder.delete()
        home = root.add_child(instance=HomePage(title="Proctique", slug="home"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        # Canonical URLs, the sitemap and feeds use the site's hostname: take it from SITE_URL.
        Site.objects.create(
            **_site_address(), root_page=home, is_default_site=True, site_name="Proctique"
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Proctique"
        site.save()
    index = ProjectIndexPage.objects.first()
    if index is None:
        index = home.add_child(
            instance=ProjectIndexPage(
                title="Projects",
                slug="projects",
                intro="Search, filter and sort every published project.",
            )
        )
    ensure_role_groups()
    ensure_project_moderation_workflow()
    return home, index


def _site_address() -> dict[str, object]:
    url = urlsplit(settings.SITE_URL)
    return {
        "hostname": url.hostname or "localhost",
        "port": url.port or (443 if url.scheme == "https" else 80),
    }


def point_site_at_site_url() -> None:
    """Move the default site to SITE_URL's host and port (`make run PORT=...` changes them)."""
    site = Site.objects.filter(is_default_site=True).first()
    address = _site_address()
    if site is not None and (site.hostname, site.port) != (address["hostname"], address["port"]):
        site.hostname, site.port = address["hostname"], address["port"]
        site.save()  # save() also clears Wagtail's cached site root paths


def ensure_users() -> dict[str, object]:
    """The demo logins, with their roles; passwords are reset to the documented ones."""
    User = get_user_model()
    authors, _ = ensure_role_groups()
    users = {}
    for login in DEMO_LOGINS:
        user = User.objects.filter(email__iexact=login.email).first() or User(email=login.email)
        user.username = login.username
        user.display_name = login.display_name
        user.is_superuser = user.is_staff = login.role == "admin"
        user.set_password(login.password)
        user.save()
        if login.role == "author":
            user.groups.add(authors)
        users[login.username] = user
    return users


@transaction.atomic
def seed() -> int:
    """Site, logins and the demo projects (owned by alice and bob); returns projects made.

    Project moderation is then switched on or off as PROJECT_MODERATION says.
    """
    _, index = ensure_site()
    point_site_at_site_url()
    users = ensure_users()
    made = ensure_projects(index, [users["alice"], users["bob"]])
    apply_project_moderation()
    return made


def print_logins(write=print) -> None:
    """Print the demo logins (used by seed_demo and `make run`)."""
    write("  Demo logins (email / password):")
    for login in DEMO_LOGINS:
        write(f"    {login.role:<7} {login.email:<24} {login.password}")
