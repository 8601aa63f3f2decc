"""Screenshots of the public site for the README: `make screenshots`.

Starts the development server on a free port against a throw-away SQLite database (or the
database named by SCREENSHOTS_DATABASE_URL) filled by `seed_demo` (projects, reviews,
replies), drives Debian's Chromium through Playwright, and writes PNGs of the home page, the
projects index, a project page and the review form at desktop and phone widths into
docs/screenshots/.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
OUT_DIR = BASE_DIR / "docs" / "screenshots"
WIDTHS = {"desktop": (1280, 860), "phone": (390, 844)}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
]
# The demo user who writes the review in the screenshot (see showcase.demo.DEMO_LOGINS).
REVIEWER = ("uma@proctique.test", "demo-user-pass")


def say(message: str) -> None:
    sys.stdout.write(f"  {message}\n")
    sys.stdout.flush()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback only)
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the development server did not answer at {url}")


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)  # noqa: S603


def shoot(base_url: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        for name, (width, height) in WIDTHS.items():
            context = browser.new_context(
                base_url=base_url,
                viewport={"width": width, "height": height},
                device_scale_factor=1 if name == "desktop" else 2,
                color_scheme="light",
                reduced_motion="reduce",
            )
            page = context.new_page()
            page.set_default_timeout(20_000)

            def save(slug: str, *, full_page: bool = False, name=name, page=page) -> None:
                path = OUT_DIR / f"{slug}-{name}.png"
                # Lazy images below the fold load before a full-page capture.
                page.evaluate(
                    "document.querySelectorAll('img[loading=lazy]')"
                    ".forEach(img => { img.loading = 'eager'; })"
                )
                page.wait_for_load_state("networkidle")
                page.wait_for_function(
                    "[...document.images].every(img => img.complete)", timeout=10_000
                )
                page.screenshot(path=str(path), full_page=full_page)
                written.append(path)

            page.goto("/")
            save("home", full_page=name == "desktop")
            page.goto("/projects/")
            save("projects", full_page=name == "desktop")
            link = page.locator(".card__title a, .card a[href^='/projects/']").first
            project_url = link.get_attribute("href") if link.count() else None
            if project_url:
                page.goto(project_url)
                save("project", full_page=name == "desktop")
                page.goto(f"/accounts/login/?next={project_url}")
                page.fill("input[name=login]", REVIEWER[0])
                page.fill("input[name=password]", REVIEWER[1])
                page.locator("form button[type=submit]").last.click()
                page.wait_for_load_state("networkidle")
                page.goto(project_url)
                form = page.locator("form:has(textarea)").last
                if form.count():
                    form.scroll_into_view_if_needed()
                    page.evaluate(
                        "el => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 130)",
                        form.element_handle(),
                    )
                    save("review-form")
                else:
                    say("no review form on the project page; skipped review-form")
            else:
                say("no project on /projects/; skipped project and review-form")
            context.close()
        browser.close()
    return written


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="proctique-shots-") as tmp:
        port = free_port()
        env = {
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
            "DEBUG": "true",
            "DJANGO_SETTINGS_MODULE": "proctique.settings",
            # A throw-away SQLite file unless SCREENSHOTS_DATABASE_URL names a database to use.
            "DATABASE_URL": os.environ.get("SCREENSHOTS_DATABASE_URL")
            or f"sqlite:///{tmp}/db.sqlite3",
            "HUEY_IMMEDIATE": "true",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PYTHONUNBUFFERED": "1",
        }
        say(f"seeding {env['DATABASE_URL'].split('@')[-1]}")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo")
        log = open(Path(tmp) / "server.log", "w")  # noqa: SIM115 (closed below)
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for(f"http://127.0.0.1:{port}/")
            written = shoot(f"http://127.0.0.1:{port}")
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()
    for path in written:
        say(f"wrote {path.relative_to(BASE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
