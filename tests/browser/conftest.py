"""Browser tests: the real app under uvicorn, driven in Debian's Chromium through Playwright's sync API.

Every test here gets the `browser` marker, so `pytest -m "not browser"` neither collects them nor starts
Chromium or the server. The server runs with the same environment as the tests (tests/conftest.py points
DATABASE_URL at this run's database), so data made with the `world` fixture is what the browser sees.
No browser is ever downloaded: without /usr/bin/chromium the tests are skipped, and fail under CI=true.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser.support import (  # noqa: F401  (helpers offered to the test modules)
    ARTIFACTS,
    ROOT,
    artifact,
    assert_accessible,
    audit,
    login,
    minor_findings,
)

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
STARTUP_TIMEOUT = 30.0
_REPORTS = pytest.StashKey[dict]()
_server_log: dict[str, Path] = {}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # tryfirst: the marker must be there before `-m` deselects.
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if minor_findings:
        terminalreporter.write_sep("-", "axe-core findings below 'serious' (not failing)")
        for rule, pages in sorted(minor_findings.items()):
            terminalreporter.write_line(f"{rule}: {', '.join(sorted(pages))}")
    log = _server_log.get("path")
    failed = terminalreporter.stats.get("failed") or terminalreporter.stats.get("error")
    if log and failed and log.exists():
        terminalreporter.write_sep("-", f"live server log ({log})")
        terminalreporter.write_line(log.read_text(encoding="utf-8", errors="replace")[-20_000:])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/health")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


@pytest.fixture(scope="session")
def live_server():
    """The app under uvicorn on a free port, on this run's test database; yields its base URL."""
    port = _free_port()
    env = {
        **os.environ,
        "SIGNAALWERK_DB_POOL": "1",  # one server, one event loop: the pool as in production (SQLite here)
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    log_path = artifact("live-server.log")  # overwritten every run; printed after the run when a test failed
    _server_log["path"] = log_path
    command = [sys.executable, "-m", "uvicorn", "app:create_app", "--factory",
               "--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("wb") as log:
        # Fixed argv from this file, no shell.
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not _healthy(port):
            if process.poll() is not None or time.monotonic() > deadline:
                state = f"exited with {process.returncode}" if process.poll() is not None else "no answer"
                pytest.fail(
                    f"the live server did not answer /health with 200 in {STARTUP_TIMEOUT:.0f} s ({state}):\n"
                    + log_path.read_text(encoding="utf-8", errors="replace")[-10_000:],
                    pytrace=False,
                )
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, started once per run."""
    if not Path(CHROMIUM).exists():
        message = f"Chromium is missing at {CHROMIUM}"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message + " (install Debian's chromium package; no browser is downloaded)")
    from playwright.sync_api import sync_playwright

    for stale in ARTIFACTS.glob("FAILED-*.png"):  # screenshots of an earlier run's failures
        stale.unlink()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser, live_server, request):
    """Makes pages, each in its own context (viewport, locale nl-BE, base_url = the live server).

    bypass_csp=True (the default) lets audit() inject axe-core inline; pass bypass_csp=False to see the
    page under the app's real Content-Security-Policy. Failed tests leave a screenshot in test-artifacts/.
    """
    made = []

    def make(width: int = 360, height: int = 740, *, bypass_csp: bool = True):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="nl-BE",
            bypass_csp=bypass_csp,
            base_url=live_server,
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        made.append((context, page))
        return page

    yield make
    reports = request.node.stash.get(_REPORTS, {})
    failed = any(report.failed for report in reports.values())
    for number, (context, page) in enumerate(made):
        if failed and not page.is_closed():
            try:
                page.screenshot(path=artifact(f"FAILED-{request.node.name}-{number}.png"), full_page=True)
            except Exception:  # noqa: BLE001, S110 - a screenshot must not hide the test's own failure
                pass
        context.close()


@pytest.fixture
def page(new_page):
    """A 360×740 page (nl-BE) with CSP bypassed so audit() can run."""
    return new_page()
