"""Helpers for the browser tests: log in through the real form, audit a page with axe-core, keyboard checks.

axe-core is vendored (tests/browser/vendor/axe.min.js, MPL-2.0) so no test run needs npm or the network.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")

# Findings below the blocking level, gathered for the end-of-run summary (they do not fail a test).
minor_findings: dict[str, set[str]] = {}


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def login(page, base_url: str, username: str, password: str, next: str | None = None):  # noqa: A002
    """Fill in and send the app's login form like a person would; returns the final navigation's response.

    The caller checks where it landed: a wrong password stays on /login/ with an error.
    """
    url = f"{base_url}/login/" + (f"?next={quote(next, safe='/')}" if next else "")
    page.goto(url)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Aanmelden", exact=True).click()
    return navigation.value


PHONE = (360, 740)  # the viewport every page must work at


def logged_in(new_page, base_url: str, username: str, size=PHONE, *, timeout: float | None = None, **page_options):
    """A new page of `size`, logged in as `username` (demo password) and on the dashboard."""
    from tests.support import PASSWORD

    page = new_page(*size, **page_options)
    if timeout is not None:
        page.set_default_timeout(timeout)
        page.set_default_navigation_timeout(timeout)
    response = login(page, base_url, username, PASSWORD)
    assert response.status == 200 and page.url == f"{base_url}/", f"{username} could not log in: {page.url}"
    return page


def open_menu(page) -> None:
    """On a phone the main menu (with Afmelden) folds behind "Menu" (static/js/menu.js): open it like a person."""
    toggle = page.locator("[data-menu-toggle]")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


def click_and_wait(page, locator, timeout: float | None = None):
    """Click a submit button (or link) and return the response the navigation ended on."""
    kwargs = {"timeout": timeout} if timeout is not None else {}
    with page.expect_navigation(**kwargs) as navigation:
        locator.click()
    return navigation.value


def audit(page) -> list[dict]:
    """axe-core's violations on the page as it is now (every rule axe runs by default).

    The script is injected inline, so the browser context must have bypass_csp=True (the app's CSP
    allows no inline script); see the `new_page` fixture.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=_axe_source())
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


def describe(violation: dict) -> str:
    nodes = violation.get("nodes", [])
    rule, impact, url = violation["id"], violation.get("impact"), violation.get("helpUrl")
    lines = [f"- {rule} ({impact}): {violation['help']}  {url}"]
    for node in nodes[:8]:
        summary = " ".join((node.get("failureSummary") or "").split())
        lines.append(f"    target {node.get('target')}: {summary[:300]}")
    if len(nodes) > 8:
        lines.append(f"    … and {len(nodes) - 8} more elements")
    return "\n".join(lines)


def assert_accessible(page, label: str = "") -> list[dict]:
    """Fails listing every serious or critical axe violation; returns the lesser ones (also summarised)."""
    violations = audit(page)
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    lesser = [v for v in violations if v.get("impact") not in BLOCKING_IMPACTS]
    where = label or page.url
    for violation in lesser:
        minor_findings.setdefault(f"{violation['id']} ({violation.get('impact')})", set()).add(where)
    if blocking:
        pytest.fail(
            f"axe-core: {len(blocking)} serious/critical violation(s) on {where} ({page.url}):\n"
            + "\n".join(describe(v) for v in blocking),
            pytrace=False,
        )
    return lesser


def scroll_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def focused(page) -> dict:
    """What has the keyboard focus, and whether a focus indicator is drawn around it."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                tag: el.tagName.toLowerCase(), id: el.id, text: (el.innerText || el.value || '').trim(),
                outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
                shadow: style.boxShadow !== 'none',
            };
        }"""
    )


def tab_to(page, pattern: str, limit: int = 25) -> dict:
    """Press Tab until the focused element's text matches `pattern`; fails when it is never reached."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if re.fullmatch(pattern, now["text"]):
            return now
        seen.append(now["text"] or f"<{now['tag']}#{now['id']}>")
    pytest.fail(f"Tab never reached {pattern!r}; focus went through {seen}", pytrace=False)


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / re.sub(r"[^A-Za-z0-9._-]+", "_", name)
