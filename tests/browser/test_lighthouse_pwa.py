"""Lighthouse's installability audits pass (issue 15): the manifest, its icons (maskable too), the theme colour and
the start URL, on the login page a worker first sees and on the intake once logged in.

Lighthouse 11.7.1 (the last release with the PWA category) is installed by scripts/fetch-lighthouse from the lock
file in scripts/lighthouse/, and runs Debian's Chromium itself; nothing is fetched while the test runs.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.browser.support import ROOT, artifact, logged_in

LIGHTHOUSE = ROOT / ".tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
INSTALLABILITY = ("installable-manifest", "splash-screen", "themed-omnibox", "maskable-icon", "viewport",
                  "content-width")


def _lighthouse(url: str, name: str, cookie: str = "") -> dict:
    if not LIGHTHOUSE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Lighthouse is missing: scripts/fetch-lighthouse (make test runs it)", pytrace=False)
        pytest.skip("no Lighthouse: run scripts/fetch-lighthouse")
    report = artifact(f"lighthouse-{name}.json")
    command = [str(LIGHTHOUSE), url, "--only-categories=pwa", "--output=json", f"--output-path={report}",
               "--quiet", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    # Fixed argv built here, no shell.
    done = subprocess.run(command, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},  # noqa: S603
                          capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(Path(report).read_text(encoding="utf-8"))


def _failures(result: dict) -> dict[str, str]:
    audits = result["audits"]
    return {key: audits[key].get("explanation") or json.dumps(audits[key].get("details", {}))[:500]
            for key in INSTALLABILITY if audits[key]["score"] != 1}


def test_the_login_page_is_installable(live_server, world):
    result = _lighthouse(f"{live_server}/login/", "login")
    assert _failures(result) == {}
    assert result["categories"]["pwa"]["score"] == 1
    assert result["audits"]["installable-manifest"]["score"] == 1


def test_the_intake_of_a_logged_in_worker_is_installable(new_page, live_server, world):
    page = logged_in(new_page, live_server, "werker")
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
    result = _lighthouse(f"{live_server}/signalen/nieuw", "intake", cookie)
    assert result["finalDisplayedUrl"].endswith("/signalen/nieuw"), result["finalDisplayedUrl"]  # not the login page
    assert _failures(result) == {}
    assert result["categories"]["pwa"]["score"] == 1
