"""Mails from Jinja templates: `templates/berichten/<kind>.txt` and `<kind>.html`.

    subject, text, html = render("uitnodiging", voornaam="Sara", link=absolute_url("/uitnodiging/…"))

The text template sets the subject (`{% set subject = "…" %}` at its top level); the HTML template extends
`berichten/_layout.html` (inline CSS, no remote images, signed by `afzender`: the overleg's name, or
"Signaalwerk"). Both get `base_url` and `url(path)`: every link in a mail is absolute from SIGNAALWERK_BASE_URL,
never from a request's Host. A kind without an `.html` template is sent as text only (html None).
"""

from __future__ import annotations

import functools
from typing import Any

import jinja2

from common.dates import local_time, long_date, long_date_with_day
from settings import BASE_DIR, get_settings

DEFAULT_SIGNATURE = "Signaalwerk"


def absolute_url(path: str) -> str:
    """A path of the app as a link that works from a mailbox: SIGNAALWERK_BASE_URL + path."""
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"a mail links only to the app's own paths, not {path!r}")
    return get_settings().base_url.rstrip("/") + path


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(BASE_DIR / "templates"),
        # .html escaped, .txt as written (plain text has nothing to escape into)
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(lokaal=local_time, datum=long_date, datum_met_dag=long_date_with_day)
    env.globals.update(url=absolute_url)
    return env


def _template(name: str) -> jinja2.Template | None:
    try:
        return _environment().get_template(name)
    except jinja2.TemplateNotFound:
        return None


def render(kind: str, **context: Any) -> tuple[str, str, str | None]:
    """(subject, text, html) of a mail of this kind; html None when the kind has no HTML template."""
    values = {"afzender": DEFAULT_SIGNATURE, "base_url": get_settings().base_url, **context}
    text_template = _template(f"berichten/{kind}.txt")
    if text_template is None:
        raise LookupError(f"no mail template berichten/{kind}.txt")
    module = text_template.make_module(values)
    subject = str(getattr(module, "subject", "")).strip()
    if not subject:
        raise LookupError(f"berichten/{kind}.txt sets no subject")
    html_template = _template(f"berichten/{kind}.html")
    html = html_template.render({**values, "subject": subject}) if html_template is not None else None
    return subject, str(module).strip() + "\n", html
