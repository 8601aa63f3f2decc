"""`make run` driven from a test: started in a pseudo-terminal of its own from a clean
environment, with its process tree, output, HTTP and email at hand."""

import contextlib
import email
import fcntl
import json
import os
import signal
import subprocess
import termios
import threading
import time
from email import policy
from email.message import EmailMessage
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from tests.services import BASE_DIR

PYTHON = str(BASE_DIR / ".venv" / "bin" / "python")

# The dev run starts from a clean environment, as a developer's shell would: none of the
# test settings (PostgreSQL, Redis, SITE_URL) may leak into it.
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER")


def dev_env(var_dir: Path, media_root: Path, **extra: str) -> dict[str, str]:
    env = {key: os.environ[key] for key in PASSED_THROUGH if key in os.environ}
    env.update(VAR_DIR=str(var_dir), MEDIA_ROOT=str(media_root), PYTHONUNBUFFERED="1", **extra)
    return env


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rpartition(")")[2].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


class DevRun:
    """`make run` in a pseudo-terminal: `interrupt()` is a Ctrl-C typed into that terminal."""

    def __init__(self, home: Path, port: int, **env: str):
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self.var_dir = home / "var"
        self._output = bytearray()
        self._master, slave = os.openpty()
        # The venv is the test run's own, already installed: `-o install` keeps make from
        # re-syncing it. Everything else is the `run` target as written.
        args = ["make", "--no-print-directory", "-o", "install", "run", "HOST=127.0.0.1"]
        self.proc = subprocess.Popen(  # noqa: S603
            [*args, f"PORT={port}"],
            cwd=BASE_DIR,
            env=dev_env(self.var_dir, home / "media", **env),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
            preexec_fn=self._take_terminal,
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.pids: list[int] = [self.proc.pid]

    @staticmethod
    def _take_terminal() -> None:
        # What an interactive shell does for the job it starts: the pty becomes its
        # controlling terminal and SIGINT has its default action (the test runner's parent
        # may have left it ignored, and an ignored signal stays ignored across exec).
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self._master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self._output += chunk

    def output(self) -> str:
        return self._output.decode(errors="replace").replace("\r\n", "\n")

    def wait_until_serving(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"make run exited with {self.proc.returncode}:\n{self.output()}")
            try:
                with urlopen(f"{self.base_url}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(f"make run did not serve within {timeout}s:\n{self.output()}")
        self.pids = self.tree()

    def tree(self) -> list[int]:
        pids, queue = [], [self.proc.pid]
        while queue:
            pid = queue.pop()
            pids.append(pid)
            queue.extend(_children(pid))
        return pids

    def processes(self) -> dict[int, str]:
        return {pid: _command_line(pid) for pid in self.pids if _running(pid)}

    def interrupt(self) -> None:
        os.write(self._master, b"\x03")

    def wait_gone(self, timeout: float) -> dict[int, str]:
        """Wait for every process of the run to end; returns those still running."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.processes():
            time.sleep(0.1)
        if self.proc.poll() is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(1)
        return self.processes()

    def close(self) -> None:
        for pid in self.processes():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.proc.poll() is None:
            self.proc.wait(5)
        os.close(self._master)
        self._reader.join(2)

    # --- talking to it ---------------------------------------------------------------------
    def request(
        self, method: str, path: str, *, token: str | None = None, body: dict | None = None
    ) -> tuple[int, str, str]:
        """(status, content type, text) of one request to the dev server."""
        headers = {"Accept": "application/json, text/html;q=0.9, */*;q=0.8"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = Request(self.base_url + path, data=data, headers=headers, method=method)  # noqa: S310
        try:
            with urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, response.headers["Content-Type"], response.read().decode()
        except HTTPError as error:
            return error.code, error.headers["Content-Type"], error.read().decode(errors="replace")

    def get(self, path: str) -> str:
        status, _, text = self.request("GET", path)
        assert status == 200, f"GET {path} answered {status}"
        return text

    def token(self, email_address: str, password: str) -> str:
        status, _, text = self.request(
            "POST", "/api/auth/token/", body={"email": email_address, "password": password}
        )
        assert status == 200, text
        return json.loads(text)["access"]

    def mails(self) -> list[EmailMessage]:
        messages = []
        for path in sorted((self.var_dir / "mail").glob("*.log")):
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if raw.strip():
                    messages.append(email.message_from_bytes(raw, policy=policy.default))
        return messages


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.2)
    pytest.fail(f"{what} within {timeout}s")
