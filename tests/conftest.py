"""Browser tests drive Debian's chromium; Playwright never downloads a browser here."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = next(
    (p for p in ("/usr/lib/chromium/chromium", "/usr/bin/chromium", shutil.which("chromium") or "") if p and
     Path(p).exists()),
    None,
)
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _roomy_live_server_backlog() -> None:
    """The live server listens with socketserver's backlog of 5; 30 racing clients overflow it and the kernel
    answers some with a reset. A deeper queue lets every client in (set before the session server starts)."""
    from django.core.servers.basehttp import ThreadedWSGIServer

    ThreadedWSGIServer.request_queue_size = 128


_roomy_live_server_backlog()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium fonts-thai-tlwg fonts-noto-core)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def login(live_server):
    """Sign a page in through the real login form."""

    def do(page, username: str, password: str = "pass-1234") -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("form button.primary")
        page.wait_for_load_state()

    return do


THAI_GLYPH_PROBE = """
(sel) => {
  // Tofu (missing-glyph boxes) all share one width; real Thai glyphs differ from it and from each other.
  const el = document.querySelector(sel);
  const font = getComputedStyle(el).font;
  const c = document.createElement('canvas').getContext('2d');
  c.font = font;
  const w = (t) => c.measureText(t).width;
  const tofu = w('\\u0E7F\\u0E7F'); // unassigned in the Thai block: always a box
  return {thai: [w('กก'), w('มม'), w('ไไ'), w('ำำ')], tofu};
}
"""


@pytest.fixture
def assert_thai_renders():
    def check(page, selector: str = "body") -> None:
        m = page.evaluate(THAI_GLYPH_PROBE, selector)
        assert any(abs(x - m["tofu"]) > 0.5 for x in m["thai"]), f"Thai text renders as boxes: {m}"
        assert len({round(x, 1) for x in m["thai"]}) > 1, f"Thai glyphs all one width (boxes?): {m}"

    return check


def current_database_url() -> str:
    """DATABASE_URL of the database the tests run on, for processes the tests start (worker, server)."""
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def child_env():
    """Environment for a child process that must use the test database."""
    env = {**os.environ, "DATABASE_URL": current_database_url(), "PYTHONUNBUFFERED": "1"}
    return env
