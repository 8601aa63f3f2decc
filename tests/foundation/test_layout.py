"""The apps import each other one way (docs/architecture.md): showcase ← reviews ← tasks,
accounts beside, the core in proctique/ knowing no app. Read from the code's own imports."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ["proctique/api", "proctique/middleware.py", "proctique/versions.py", "proctique/text.py",
        "proctique/richtext.py", "proctique/emails.py", "proctique/forms.py",
        "proctique/exceptions.py", "proctique/models.py"]  # fmt: skip
NEVER = {
    "showcase": {"reviews", "tasks", "insights"},
    "reviews": {"tasks", "insights"},
    "accounts": {"showcase", "reviews", "tasks", "insights"},
    "insights": {"tasks"},
    "core": {"showcase", "reviews", "tasks", "accounts", "insights"},
}


def python_files(place: str) -> list[Path]:
    path = ROOT / place
    files = [path] if path.suffix == ".py" else sorted(path.rglob("*.py"))
    return [f for f in files if "migrations" not in f.parts]


def imported_apps(path: Path) -> set[tuple[str, int]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found |= {(name.split(".")[0], node.lineno) for name in names}
    return found


@pytest.mark.parametrize("part", sorted(NEVER))
def test_imports_run_one_way(part):
    places = CORE if part == "core" else [part]
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {app}"
        for place in places
        for path in python_files(place)
        for app, line in imported_apps(path)
        if app in NEVER[part]
    ]
    assert wrong == []
