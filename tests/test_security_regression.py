"""Security regression suite, generated from the app's own route table: a new route is covered the day it lands.

- stored XSS: payloads in every text field of a signal (and of every other object the routes show) never come back
  as live markup on any GET page, in the API's rendered HTML, or as a formula in the export;
- CSRF: every unsafe route (POST/PUT/PATCH/DELETE) refuses a request without (or with a wrong) token;
- guards: every route but the public few has a guard;
- tenancy: every GET route × every persona, with the path filled with ids of Mechelen objects: no 500s, and
  nobody outside Mechelen (werker2 of Hoeilaart, the beheerder without memberships, anonymous) gets them;
- sessions: a fixed session id is replaced at login; cookie flags (HttpOnly, SameSite=Lax, Secure in production);
- security headers on every GET page; 25 wrong passwords end in 429.

/admin is left out: Piccolo Admin has its own CSRF (tests/admin/test_admin_mount.py).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from html.parser import HTMLParser

import pytest
from litestar import Response
from litestar.routes import HTTPRoute
from piccolo.columns import JSON, Date, ForeignKey, Text, Time, Varchar
from piccolo.conf.apps import Finder

from common.dates import today
from tests.support import PASSWORD, PERSONAS, login_as, make_signaal, sync

# ----------------------------------------------------------------------------- the route table


def _route_app():
    from app import create_app

    return create_app()


ROUTE_APP = _route_app()
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
PUBLIC = {("GET", "/login"), ("POST", "/login"), ("POST", "/logout"), ("GET", "/health"),
          ("GET", "/sw.js"),  # the service worker: no data, and its update check runs after a logout too
          ("GET", "/wachtwoord-vergeten"), ("POST", "/wachtwoord-vergeten"),
          # the form behind a one-time link (admin/account_controller.py): the token in the path is the secret
          ("POST", "/uitnodiging/{token:str}"), ("POST", "/wachtwoord-herstellen/{token:str}")}
# Capability URLs: no login (calendar apps cannot log in), a secret token in the path instead (overleg/kalender.py).
CAPABILITY = {("GET", "/kalender/{bestand:str}"), ("GET", "/uitnodiging/{token:str}"),
              ("GET", "/wachtwoord-herstellen/{token:str}"),
              # the council's answer link and the unsubscribe link of a mail (no login: the secret is the right)
              ("GET", "/antwoord/{token:str}"), ("POST", "/antwoord/{token:str}"),
              ("GET", "/antwoord/{token:str}/nota.pdf"),
              ("GET", "/meldingen/afmelden/{token:str}"), ("POST", "/meldingen/afmelden/{token:str}")}
BEHEER = "/beheer/"  # the beheerder's own pages (admin/beheer_controller.py): the beheerder only, for every gemeente
# Routes whose only path parameter names a file of aggregates, not an object: filled with a real file name, and
# checked for tenancy like a route without parameters (a `gemeente=mechelen` query must show outsiders nothing).
FILE_ROUTES = {("GET", "/inzicht/{bestand:str}"): "per-plek.csv"}  # per place: Mechelen's marked place names
NOT_OURS = ("/admin", "/static", "/schema")  # the admin mount, static files, the OpenAPI documents
PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


@dataclasses.dataclass(frozen=True)
class Route:
    method: str
    path: str  # as in the route table, e.g. /signalen/{signaal_id:str}
    handler: object

    @property
    def params(self) -> list[str]:
        return PARAM.findall(self.path)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def route_table(app=ROUTE_APP) -> list[Route]:
    routes = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(NOT_OURS):
            continue
        for handler in route.route_handlers:
            for method in sorted(handler.http_methods - {"OPTIONS", "HEAD"}):
                routes.append(Route(method, route.path, handler))
    return sorted(routes, key=lambda r: (r.path, r.method))


ROUTES = route_table()
GET_ROUTES = [r for r in ROUTES if r.method == "GET"]
# Capability links from a mail (the council's answer, an unsubscribe link): the secret in the path is the proof, no
# session or login is involved, so there is no ambient authority for CSRF to protect — they are the only exclusions.
CAPABILITY_PATHS = ("^/antwoord/", "^/meldingen/afmelden/")
UNSAFE_ROUTES = [r for r in ROUTES if r.method in UNSAFE and not any(re.search(p, r.path) for p in CAPABILITY_PATHS)]

# Path parameter → the kind of object it names (by its own name, else by the path segment before it).
KINDS = {
    "signaal": "signaal", "signalen": "signaal",
    "dossier": "dossier", "dossiers": "dossier",
    "overleg": "overleg", "overleggen": "overleg",
    "partner": "partner", "partners": "partner",
    "actie": "actie", "acties": "actie",
    "vergadering": "vergadering", "vergaderingen": "vergadering",
    "nota": "signaalnota", "notas": "signaalnota",
    "pid": "agendapunt", "punt": "agendapunt", "punten": "agendapunt", "agendapunt": "agendapunt",
    "commentaar": "commentaar", "commentaren": "commentaar",
    "antwoord": "antwoord", "terugkoppeling": "terugkoppeling", "terugkoppelingen": "terugkoppeling",
    "bericht": "bericht", "berichten": "bericht",
}
SLUGS = {"gemeente", "slug"}  # a gemeente slug in the path: filled with "mechelen"
NOT_OBJECTS = {"bestand", "token", "file_path"}  # a file name or secret in the path, not an object's id


def kind_of(route: Route, param: str) -> str | None:
    if param in SLUGS:
        return "gemeente"
    own = param.removesuffix("_id")
    if own in KINDS:
        return KINDS[own]
    segments = route.path.split("/")
    at = next(i for i, s in enumerate(segments) if s.startswith("{" + param))
    return KINDS.get(segments[at - 1])


def _id(route: Route) -> str:
    return str(route)


# ----------------------------------------------------------------------------- Mechelen's objects

MARKER = "MECHELEN-GEHEIM"
XSS = "<img src=x onerror=alert(1)>"
SIGNAAL_TEKST = {
    "titel": f'{MARKER} <script>alert("titel")</script>{XSS}',
    "omschrijving": (f"{MARKER}\n\n<script>alert('omschrijving')</script>\n\n{XSS}\n\n"
                     "[klik](javascript:alert(1)) "
                     "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)\n\n"
                     '<a href="javascript:alert(2)">link</a> <iframe src="https://example.org"></iframe>\n\n'
                     "<svg onload=alert(3)></svg> {{ 'sjabloon' ~ 'uitgevoerd' }} {% raw %}x{% endraw %}"),
    "plek": f'{MARKER} "><svg onload=alert(4)>',
    "citaten": ['</textarea><script>alert("citaat")</script>', f"' onmouseover='alert(5)' {MARKER}",
                "=HYPERLINK(\"https://example.org\",\"klik\")"],
}
TEMPLATE_RESULT = "sjabloonuitgevoerd"  # what a template engine that evaluated the text would show


@dataclasses.dataclass
class Mechelen:
    """One object of every kind the route table names, all in Mechelen, text fields carrying MARKER and XSS."""

    world: object
    werker: object
    ids: dict[str, int] = dataclasses.field(default_factory=dict)
    failed: dict[str, str] = dataclasses.field(default_factory=dict)

    def table(self, tablename: str):
        return next((t for t in Finder().get_table_classes() if t._meta.tablename == tablename), None)

    def get(self, kind: str) -> int | None:
        if kind in self.ids:
            return self.ids[kind]
        if kind in self.failed:
            return None
        try:
            self.ids[kind] = self._create(kind)
        except Exception as exc:  # noqa: BLE001 - a kind we cannot make is listed as skipped
            self.failed[kind] = f"{type(exc).__name__}: {exc}"[:200]
            return None
        return self.ids[kind]

    def _create(self, kind: str) -> int:
        if kind == "signaal":
            return make_signaal(self.werker, confirm=True, **SIGNAAL_TEKST)["id"]
        table = self.table(kind)
        if table is None:
            raise LookupError(f"no table {kind}")
        values = {}
        for column in table._meta.columns:
            meta = column._meta
            if meta.primary_key:
                continue
            if isinstance(column, ForeignKey):
                target = column._foreign_key_meta.resolved_references._meta.tablename
                if target == "gemeente":
                    values[column] = self.world.gemeenten["mechelen"]
                elif target == "piccolo_user":
                    values[column] = self.world.users["voorzitter"]
                elif not meta.null or target in self.ids:
                    parent = self.get(target)
                    if parent is None:
                        raise LookupError(f"parent {target} of {kind}")
                    values[column] = parent
            elif isinstance(column, Varchar | Text) and not isinstance(column, JSON) and meta.choices is None and (
                    meta.required or meta.name in ("omschrijving", "toelichting", "samenvatting", "inhoud")):
                text = f"{MARKER} {XSS} {kind}.{meta.name}"
                values[column] = text[: column.length] if isinstance(column, Varchar) else text
            elif isinstance(column, Date) and meta.required:
                values[column] = today()
            elif isinstance(column, Time) and meta.required:
                values[column] = dt.time(19, 0)
        row = table(_data={c._meta.name: v for c, v in values.items()})
        sync(row.save())
        return row.id

    def bundle(self) -> None:
        """The signal in the dossier, the voorzitter and partner sitting in the overleg (so pages show them)."""
        from signalen.tables import Signaal

        signaal, dossier = self.get("signaal"), self.get("dossier")
        if signaal and dossier:
            sync(Signaal.update({Signaal.dossier: dossier, Signaal.status: "gebundeld"}).where(Signaal.id == signaal))
        lid, overleg = self.table("overleglid"), self.get("overleg")
        if lid is not None and overleg:
            for name, rol in (("voorzitter", "voorzitter"), ("partner", "partner")):
                try:
                    sync(lid(_data={"overleg": overleg, "user": self.world.users[name], "rol": rol}).save())
                except Exception as exc:  # noqa: BLE001 - the table changed shape: pages just show less
                    self.failed.setdefault("overleglid (optional)", str(exc)[:200])

    def url(self, route: Route) -> str | None:
        """The route's path with every parameter filled with a Mechelen object; None when one cannot be made."""
        path = route.path
        for param in route.params:
            kind = kind_of(route, param)
            if kind == "gemeente":
                value: object = "mechelen"
            elif (route.method, route.path) in FILE_ROUTES:
                value = FILE_ROUTES[(route.method, route.path)]
            else:
                value = self.get(kind) if kind else None
            if value is None:
                return None
            path = re.sub(r"\{" + param + r"(?::\w+)?\}", str(value), path)
        return path


@pytest.fixture
def mechelen(world, werker) -> Mechelen:
    objects = Mechelen(world, werker)
    for route in ROUTES:
        for param in route.params:
            kind = kind_of(route, param)
            if kind and kind != "gemeente":
                objects.get(kind)
    objects.bundle()
    return objects


def _unfillable(route: Route) -> list[str]:
    return [p for p in route.params if kind_of(route, p) is None]


# ----------------------------------------------------------------------------- HTML checks

class _Markup(HTMLParser):
    """Collects what would run in a browser: inline scripts, event handlers, script URLs, frames."""

    URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.problems.append(f"<script src={src!r}>")
        if tag in ("iframe", "object", "embed", "base", "frame", "frameset"):
            self.problems.append(f"<{tag}>")
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in self.URL_ATTRS and value and re.match(r"\s*(javascript|vbscript|data):", value, re.I):
                if not (tag == "img" and value.startswith("data:image/")):
                    self.problems.append(f"<{tag} {name}={value[:40]!r}>")

    handle_startendtag = handle_starttag


def live_markup(html: str) -> list[str]:
    parser = _Markup()
    parser.feed(html)
    return parser.problems


def is_html(response) -> bool:
    return response.headers.get("content-type", "").startswith("text/html")


# ----------------------------------------------------------------------------- stored XSS

@pytest.mark.parametrize("route", GET_ROUTES, ids=_id)
def test_no_get_page_turns_stored_text_into_live_markup(route, mechelen, personas):
    if (route.method, route.path) in CAPABILITY:
        pytest.skip("a capability URL (a secret, not an id): test_a_capability_url_with_a_guessed_secret_shows_nothing")
    url = mechelen.url(route)
    if url is None:
        pytest.skip(f"cannot fill {route.params} (unknown kind or not creatable: {mechelen.failed})")
    for name in ("werker", "voorzitter", "partner", "coordinator"):
        response = personas[name].get(url, follow_redirects=False)
        assert response.status_code < 500, f"{name}: {response.status_code}"
        if is_html(response):
            assert live_markup(response.text) == [], f"{name} on {url}"
            if MARKER in response.text:
                assert TEMPLATE_RESULT not in response.text, f"template text evaluated for {name} on {url}"
        elif "json" in response.headers.get("content-type", ""):
            for key, value in _html_fields(response.json()):
                assert live_markup(value) == [], f"{key} in {url} for {name}"


def _html_fields(data, path=""):
    """Every `…_html` string in a JSON document (rendered Markdown the API hands to clients)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key.endswith("_html") and isinstance(value, str):
                yield f"{path}.{key}", value
            else:
                yield from _html_fields(value, f"{path}.{key}")
    elif isinstance(data, list):
        for n, value in enumerate(data):
            yield from _html_fields(value, f"{path}[{n}]")


def test_the_signal_pages_show_the_payloads_as_text(werker, mechelen):
    signaal = mechelen.get("signaal")
    for url in (f"/signalen/{signaal}", "/signalen", f"/signalen/{signaal}/bewerken"):
        page = werker.get(url)
        assert page.status_code == 200, url
        assert "&lt;script&gt;alert(" in page.text or "&lt;script&gt;" in page.text.replace("&#34;", '"'), url
        assert live_markup(page.text) == [], url


def test_the_api_returns_the_text_as_data_and_only_sanitised_html(werker, mechelen):
    signaal = mechelen.get("signaal")
    response = werker.get(f"/api/v1/signalen/{signaal}")
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"
    data = response.json()
    assert data["titel"] == SIGNAAL_TEKST["titel"] and data["citaten"] == SIGNAAL_TEKST["citaten"]
    rendered = data["omschrijving_html"]
    assert live_markup(rendered) == [] and "<script" not in rendered
    assert "&lt;script&gt;" in rendered  # shown as text, not dropped silently
    listed = werker.get("/api/v1/signalen").json()["items"]
    assert all(live_markup(item.get("omschrijving_html", "")) == [] for item in listed)


def test_the_export_neither_renders_nor_evaluates_the_payloads(werker, mechelen):
    mechelen.get("signaal")
    response = werker.get("/signalen/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    assert any(MARKER in cell for cell in cells)
    for cell in cells:
        for line in cell.splitlines():
            assert not line.startswith(("=", "+", "-", "@", "\t", "\r")) or cell.startswith("'"), cell
    xlsx = werker.get("/signalen/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.headers["content-disposition"].startswith("attachment")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


# ----------------------------------------------------------------------------- CSRF on every unsafe route

CSRF_REFUSAL = "verlopen of onvolledig"


def test_every_unsafe_route_is_under_csrf():
    """Statically: no unsafe route opts out of Litestar's CSRF middleware (only /admin does, with its own)."""
    config = ROUTE_APP.csrf_config
    assert config is not None and not (UNSAFE & set(config.safe_methods))
    problems = []
    for route in UNSAFE_ROUTES:
        if route.handler.opt.get(config.exclude_from_csrf_key):
            problems.append(f"{route} opts out of CSRF")
        excluded = [pattern for pattern in (config.exclude or []) if re.search(pattern, route.path)
                    and pattern not in CAPABILITY_PATHS]
        if excluded:
            problems.append(f"{route} is excluded by {excluded}")
    assert problems == []


def test_every_unsafe_route_refuses_a_request_without_a_csrf_token(world, voorzitter):
    """Dynamically: a logged-in browser that has the CSRF cookie, tricked into sending a request without the token
    (or with a wrong one), is refused on every unsafe route of the route table."""
    voorzitter.csrf()  # the browser has the CSRF cookie, as a victim's browser would
    attempts = {
        "JSON without header": dict(json={"titel": "x"}),
        "form without field": dict(data={"titel": "x"}),
        "wrong header": dict(json={"titel": "x"}, headers={"x-csrf-token": "f" * 64}),
        "wrong form field": dict(data={"titel": "x", "_csrf_token": "f" * 64}),
    }
    problems = []
    for route in UNSAFE_ROUTES:
        url = PARAM.sub("1", route.path)
        for label, kwargs in attempts.items():
            response = voorzitter.client.request(route.method, url, follow_redirects=False, **kwargs)
            if not (response.status_code == 403 and CSRF_REFUSAL in response.text):
                problems.append(f"{route} ({label}): {response.status_code} {response.text[:120]}")
    assert problems == []
    assert len(UNSAFE_ROUTES) >= 10


def test_a_request_without_the_csrf_cookie_is_refused_too(world, voorzitter):
    token = voorzitter.csrf()
    voorzitter.client.cookies.delete("sw_csrftoken")
    response = voorzitter.client.post("/api/v1/signalen", json={}, headers={"x-csrf-token": token})
    assert response.status_code == 403


# ----------------------------------------------------------------------------- guards and tenancy

def test_every_route_but_the_public_ones_has_a_guard():
    unguarded = [str(r) for r in ROUTES
                 if (r.method, r.path) not in PUBLIC | CAPABILITY and not r.handler.resolve_guards()]
    assert unguarded == []
    assert {("POST", "/api/v1/signalen"), ("GET", "/signalen/{signaal_id:str}")} <= {(r.method, r.path) for r in ROUTES}


OUTSIDERS = ("werker2", "beheerder", "anonymous")  # no membership in Mechelen
NO_REGISTER = ("partner",)  # "no raw register" (DESIGN §5): never a signal


@pytest.mark.parametrize("route", GET_ROUTES, ids=_id)
def test_nobody_outside_mechelen_gets_mechelens_objects(route, mechelen, personas):
    """Every GET route × every persona. With ids in the path: no outsider gets a 2xx. Without: a `gemeente=mechelen`
    query gets no outsider Mechelen's text. Nobody ever gets a 500."""
    if (route.method, route.path) in CAPABILITY:
        pytest.skip("a capability URL (a secret, not an id): test_a_capability_url_with_a_guessed_secret_shows_nothing")
    if not route.params:
        url, query = route.path, {"gemeente": "mechelen"}
    elif (route.method, route.path) in FILE_ROUTES:
        url, query = mechelen.url(route), {"gemeente": "mechelen"}
    else:
        url, query = mechelen.url(route), {}
        if url is None:
            pytest.skip(f"cannot fill {route.params}: unknown kind {_unfillable(route)} or not creatable "
                        f"{mechelen.failed}")  # listed on purpose in test_the_tenancy_matrix_covers_every_id_route
    signal_only = [kind_of(route, p) for p in route.params] == ["signaal"]
    for name in PERSONAS:
        response = personas[name].get(url, params=query, follow_redirects=False)
        assert response.status_code < 500, f"{name}: {response.status_code} on {url}"
        refused = name in OUTSIDERS or (signal_only and name in NO_REGISTER)
        if route.path.startswith(BEHEER):
            refused = name != "beheerder"
        if refused and route.params and (route.method, route.path) not in FILE_ROUTES:
            assert not 200 <= response.status_code < 300, f"{name} got {response.status_code} on {url}"
        if refused:
            assert MARKER not in response.text, f"{name} sees Mechelen's text on {url}"
        if name == "anonymous" and (route.method, route.path) not in PUBLIC:
            assert response.status_code in (303, 401), f"anonymous got {response.status_code} on {url}"


@pytest.mark.parametrize("route", sorted(CAPABILITY), ids=lambda r: f"{r[0]} {r[1]}")
def test_a_capability_url_with_a_guessed_secret_shows_nothing(route, mechelen, anonymous, werker2):
    method, path = route
    for guess in ("1", "1.ics", "mechelen.ics", "0" * 32 + ".ics", "../signalen.ics", "%2e%2e.ics"):
        for persona in (anonymous, werker2):
            response = persona.client.request(method, PARAM.sub(guess, path), follow_redirects=False)
            assert response.status_code in (400, 404), f"{guess}: {response.status_code}"
            assert MARKER not in response.text


def test_the_tenancy_matrix_covers_every_id_route(mechelen):
    """The kinds the route table names can all be made (a new kind needs a line in KINDS)."""
    unknown = sorted({f"{r}: {p}" for r in GET_ROUTES for p in _unfillable(r) if p not in NOT_OBJECTS})
    uncreatable = {kind: why for kind, why in mechelen.failed.items() if "(optional)" not in kind}
    assert uncreatable == {}, uncreatable
    # A parameter that is neither an object of a known kind nor a file name / secret needs a line in KINDS.
    assert unknown == []


# ----------------------------------------------------------------------------- sessions and cookies

def _login(persona, username, password):
    return persona.post_form("/login/", {"username": username, "password": password, "next": "/"},
                             follow_redirects=False)


def test_a_session_id_planted_before_login_is_never_used(anonymous):
    from piccolo_api.session_auth.tables import SessionsBase

    anonymous.client.cookies.set("id", "geplant-door-aanvaller", domain="testserver.local")
    assert _login(anonymous, "werker", PASSWORD).status_code == 303
    token = anonymous.client.cookies.get("id")
    assert token and token != "geplant-door-aanvaller"
    assert not sync(SessionsBase.exists().where(SessionsBase.token == "geplant-door-aanvaller"))


def test_a_session_taken_over_before_login_is_ended_at_login(app, world, anonymous):
    """A session id the attacker knows (a real one, of any account) stops working when the victim logs in."""
    known = login_as(app, world, "werker2")
    planted = known.client.cookies.get("id")
    anonymous.client.cookies.set("id", planted, domain="testserver.local")
    assert _login(anonymous, "werker", PASSWORD).status_code == 303
    assert anonymous.client.cookies.get("id") != planted
    assert known.get("/", follow_redirects=False).status_code == 303


def _cookie(response: Response, name: str):
    return next(c for c in response.cookies if c.key == name)


@pytest.mark.parametrize("production", [False, True])
def test_the_session_cookie_flags(monkeypatch, production):
    import admin.auth_controller as auth
    from settings import get_settings

    settings = dataclasses.replace(get_settings(), production=production)
    monkeypatch.setattr(auth, "get_settings", lambda: settings)
    response = Response(content=None)
    auth._set_session_cookie(response, "token")
    cookie = _cookie(response, "id")
    assert cookie.httponly is True and cookie.samesite == "lax" and cookie.path == "/"
    assert cookie.secure is production
    header = cookie.to_header()
    assert "HttpOnly" in header and "SameSite=lax" in header and ("Secure" in header) is production


def test_the_login_sets_those_flags(anonymous):
    header = _login(anonymous, "werker", PASSWORD).headers["set-cookie"]
    assert "HttpOnly" in header and "SameSite=lax" in header and "Path=/" in header


def test_the_csrf_cookie_follows_production_too():
    config = ROUTE_APP.csrf_config
    assert config.cookie_samesite == "lax" and config.cookie_secure is False  # tests run with PRODUCTION=0
    import inspect

    import app as app_module

    assert "cookie_secure=settings.production" in inspect.getsource(app_module.create_app)


def test_25_wrong_passwords_end_in_429(anonymous):
    codes = [_login(anonymous, "werker", f"fout-{n}").status_code for n in range(25)]
    assert codes[0] == 400 and codes[-1] == 429
    assert set(codes) <= {400, 429} and codes.index(429) <= 11
    assert all(code == 429 for code in codes[codes.index(429):])
    assert _login(anonymous, "werker", PASSWORD).status_code == 429  # even the right one, for now
    assert "Te veel mislukte pogingen" in _login(anonymous, "werker", PASSWORD).text


# ----------------------------------------------------------------------------- security headers

def test_every_get_page_sends_the_security_headers(mechelen, voorzitter, werker):
    problems, checked = [], 0
    for route in GET_ROUTES:
        url = mechelen.url(route) if route.params else route.path
        if url is None:
            continue
        for persona in (voorzitter, werker):
            headers = persona.get(url, follow_redirects=False).headers
            csp = headers.get("content-security-policy", "")
            script_src = csp.split("script-src")[1].split(";")[0] if "script-src" in csp else ""
            expected = {
                "script-src 'self' without unsafe-*": "'self'" in script_src and "unsafe" not in script_src,
                "frame-ancestors 'none'": "frame-ancestors 'none'" in csp,
                "nosniff": headers.get("x-content-type-options") == "nosniff",
                "Referrer-Policy same-origin": headers.get("referrer-policy") == "same-origin",
                # the service worker holds no data; no-cache makes the browser check it on every load
                "Cache-Control no-store": headers.get("cache-control") == (
                    "no-cache" if route.path == "/sw.js" else "no-store"),
            }
            problems += [f"{route} as {persona.name}: no {name}" for name, ok in expected.items() if not ok]
            checked += 1
    assert problems == []
    fillable = [r for r in GET_ROUTES if not r.params or mechelen.url(r)]
    assert checked == 2 * len(fillable) and len(fillable) >= 20


# ----------------------------------------------------------------------------- impossible ids (the int4 bound)

# Ids are int4 (SERIAL): above 2 147 483 647 no row can exist, and asyncpg refuses to send such a number, so a
# big id that reaches a query is a 500 on PostgreSQL only. Every id must go through common/ids.py first.
BIG_IDS = ("2147483648", "99999999999999999999")
BIG_ID_PERSONAS = ("voorzitter", "werker", "partner", "coordinator", "werker2", "beheerder", "anonymous")
ID_ROUTES = [r for r in ROUTES if (r.method, r.path) not in CAPABILITY and (r.method, r.path) not in FILE_ROUTES
             and any(kind_of(r, p) not in (None, "gemeente") for p in r.params)]


def _id_params(route: Route) -> list[str]:
    return [p for p in route.params if kind_of(route, p) not in (None, "gemeente")]


def _with(url_template: str, param: str, value: str) -> str:
    return re.sub(r"\{" + param + r"(?::\w+)?\}", value, url_template)


def _big_urls(route: Route, mechelen: Mechelen):
    """The route's path with one id parameter at a time set to each big id, the others filled with Mechelen ids."""
    for param in _id_params(route):
        for big in BIG_IDS:
            path = _with(route.path, param, big)
            filled = mechelen.url(Route(route.method, path, route.handler))
            if filled is None:
                raise AssertionError(f"cannot fill {route}: {mechelen.failed}")
            yield filled


def _send(persona, method: str, url: str, body: dict | None = None):
    """An unsafe request as a browser (form) or an API client (JSON) would send it, with a valid CSRF token."""
    if url.startswith("/api/"):
        return persona.api(method, url, json=body or {}, follow_redirects=False)
    data = {k: v for k, v in (body or {}).items() if not isinstance(v, list)}
    return persona.post_form(url, data, follow_redirects=False)


def test_the_big_id_matrix_covers_the_id_routes():
    assert len([r for r in ID_ROUTES if r.method == "GET"]) >= 15 and len(ID_ROUTES) >= 60
    assert {("GET", "/vergaderingen/{vergadering_id:str}"),
            ("GET", "/api/v1/vergaderingen/{vergadering_id:str}/agenda")} <= {(r.method, r.path) for r in ID_ROUTES}


def test_a_big_id_in_a_get_path_is_a_404_never_a_500(mechelen, personas):
    """Every GET route with an id × every persona × both big ids: logged in, a 404 (or 400); anonymous, to login."""
    problems = []
    for route in (r for r in ID_ROUTES if r.method == "GET"):
        for url in _big_urls(route, mechelen):
            for name in BIG_ID_PERSONAS:
                status = personas[name].get(url, follow_redirects=False).status_code
                allowed = (303, 401) if name == "anonymous" else (400, 404)
                if route.path.startswith(BEHEER) and name not in ("anonymous", "beheerder"):
                    allowed = (403,)  # the guard answers before the id is read
                if status not in allowed:
                    problems.append(f"{name} GET {url}: {status}")
    assert problems == []


def test_a_big_id_in_an_unsafe_path_is_refused_never_a_500(mechelen, personas):
    """Every POST/PUT/PATCH/DELETE route with an id, with a valid CSRF token: a 4xx (or the redirect to the login
    page for anonymous), never a 500 and never a success."""
    problems = []
    for route in (r for r in ID_ROUTES if r.method in UNSAFE):
        for url in _big_urls(route, mechelen):
            for name in BIG_ID_PERSONAS:
                status = _send(personas[name], route.method, url).status_code
                allowed = status in (303, 401) if name == "anonymous" else 400 <= status < 500
                if status >= 500 or not allowed:
                    problems.append(f"{name} {route.method} {url}: {status}")
    assert problems == []


# (path, filter) → what a logged-in member gets for a big id: 400 for the API and the exports (a filter they cannot
# use), 404 for a page that names one object (an unknown one), 200 with the field marked on the register page (its
# filter form shows the error, as for any unusable filter).
ID_FILTERS = {
    ("/api/v1/signalen", "auteur"): 400,
    ("/signalen", "auteur"): 200,
    ("/signalen/export.csv", "auteur"): 400,
    ("/signalen/export.xlsx", "auteur"): 400,
    ("/api/v1/acties", "overleg"): 400,
    ("/api/v1/acties", "partner"): 400,
    ("/api/v1/acties", "dossier"): 400,
    ("/acties", "overleg"): 404,
    ("/api/v1/vergaderingen", "overleg"): 400,
    ("/vergaderingen/nieuw", "overleg"): 404,
    ("/notas/nieuw", "dossier"): 404,
}
FILTER_NAMES = ("auteur", "overleg", "partner", "dossier", "vergadering", "gemeente", "signaal", "nota", "actie",
                "punt")


def test_a_big_id_in_a_filter_is_refused(mechelen, voorzitter, werker):
    problems = []
    for (path, name), expected in ID_FILTERS.items():
        for big in BIG_IDS:
            for persona in (voorzitter, werker):
                response = persona.get(path, params={name: big}, follow_redirects=False)
                if response.status_code != expected:
                    problems.append(f"{persona.name} GET {path}?{name}={big}: {response.status_code}, not {expected}")
                elif path == "/signalen" and "Onbekende auteur" not in response.text:
                    problems.append(f"{persona.name} GET {path}?{name}={big}: the field is not marked")
    assert problems == []


# The list routes that read id filters (and their neighbours): each filter name alone, as the voorzitter and werker.
FILTERED = {path for path, _ in ID_FILTERS} | {"/vergaderingen", "/dossiers", "/notas", "/api/v1/dossiers",
                                               "/api/v1/notas", "/api/v1/overleggen"}


def test_no_id_filter_on_any_get_route_is_a_500(mechelen, voorzitter, werker):
    """Every GET route × both big ids: the list routes that filter with every id-like filter name alone and all
    together, the others (ids in the path filled with Mechelen's) with all together. Never a 500."""
    problems, checked = [], 0
    for route in (r for r in GET_ROUTES if (r.method, r.path) not in CAPABILITY):
        url = mechelen.url(route) if route.params else route.path
        if url is None:
            continue
        checked += 1
        for big in BIG_IDS:
            together = {p: big for p in FILTER_NAMES}
            one_by_one = route.path in FILTERED  # the others get all at once (a slow page, a document)
            tries = [{p: big} for p in FILTER_NAMES] + [together] if one_by_one else [together]
            for persona in (voorzitter, werker) if one_by_one else (voorzitter,):
                for params in tries:
                    status = persona.get(url, params=params, follow_redirects=False).status_code
                    if status >= 500:
                        problems.append(f"{persona.name} GET {url}?{'&'.join(params)}={big}: {status}")
    assert problems == []
    assert checked >= 40


def _bodies(mechelen: Mechelen, big: object) -> list[tuple[str, str, dict]]:
    """Requests whose body names objects, each with one id field set to a big id (the others real)."""
    o, d, s = mechelen.get("overleg"), mechelen.get("dossier"), mechelen.get("signaal")
    v, n = mechelen.get("vergadering"), mechelen.get("signaalnota")
    a, punt = mechelen.get("actie"), mechelen.get("agendapunt")
    actie = {"overleg": o, "wat": "Bellen", "deadline": dt.date.today().isoformat(), "lens": "aanbod"}
    return [
        ("POST", f"/api/v1/dossiers/{d}/signalen", {"signalen": [big]}),
        ("POST", f"/api/v1/dossiers/{d}/signalen", {"signalen": [s, big]}),
        ("POST", f"/api/v1/dossiers/{d}/samenvoegen", {"doel": big}),
        ("POST", "/api/v1/dossiers", {"gemeente": "mechelen", "titel": "Groot", "signalen": [big]}),
        ("POST", "/api/v1/dossiers/suggesties/aanvaarden", {"signalen": [big, s]}),
        ("POST", "/api/v1/dossiers/suggesties/afwijzen", {"signalen": [big, s]}),
        ("PATCH", f"/api/v1/dossiers/{d}", {"titel": "Nieuw", "versie": big}),
        ("POST", "/api/v1/notas", {"dossiers": [big]}),
        ("POST", "/api/v1/notas", {"gemeente": big, "dossiers": [d]}),
        ("PATCH", f"/api/v1/notas/{n}", {"titel": "Nieuw", "versie": big}),
        ("POST", "/api/v1/acties", {**actie, "overleg": big}),
        ("POST", "/api/v1/acties", {**actie, "partner": big}),
        ("POST", "/api/v1/acties", {**actie, "dossier": big}),
        ("POST", "/api/v1/acties", {**actie, "agendapunt": big}),
        ("POST", f"/api/v1/acties/{a}/status", {"status": "klaar", "versie": big}),
        ("POST", "/api/v1/vergaderingen", {"overleg": big, "datum": dt.date.today().isoformat(), "begin": "19:00"}),
        ("POST", "/api/v1/vergaderingen", {"overleg": o, "datum": dt.date.today().isoformat(), "begin": "19:00",
                                           "partners": [big]}),
        ("PUT", f"/api/v1/vergaderingen/{v}/verslag", {"inhoud": "x", "versie": big}),
        ("POST", f"/api/v1/vergaderingen/{v}/verslag/goedkeuren", {"goedgekeurd_in": big, "versie": 1}),
        ("PATCH", f"/api/v1/signalen/{s}", {"titel": "Nieuw", "versie": big}),
        ("POST", f"/api/v1/signalen/{s}/status", {"status": "gebundeld", "versie": big}),
        ("POST", "/api/v1/signalen", {"gemeente": big, "titel": "x"}),
        # the pages' forms
        ("POST", f"/dossiers/{d}/signalen", {"signaal": big, "signalen": big}),
        ("POST", f"/dossiers/{d}/samenvoegen", {"doel": big}),
        ("POST", f"/dossiers/{d}/bewerken", {"titel": "Nieuw", "versie": big}),
        ("POST", "/dossiers/nieuw", {"gemeente": "mechelen", "titel": "Groot", "signalen": big}),
        ("POST", "/dossiers/suggesties/aanvaarden", {"signalen": big}),
        ("POST", "/dossiers/suggesties/afwijzen", {"signalen": big}),
        ("POST", "/notas/nieuw", {"dossiers": big, "gemeente": big}),
        ("POST", f"/notas/{n}/bewerken", {"titel": "Nieuw", "versie": big}),
        ("POST", f"/notas/{n}/dossiers/{d}/afsluiten", {"dossier": big}),
        ("POST", "/acties", {**actie, "overleg": big}),
        ("POST", "/acties", {**actie, "partner": big, "dossier": big, "agendapunt": big}),
        ("POST", f"/acties/{a}/status", {"status": "klaar", "versie": big}),
        ("POST", f"/overleg/{o}/leden", {"lid": big, "partner": big}),
        ("POST", f"/overleg/{o}/partners", {"partner": big, "lid": big}),
        ("POST", "/vergaderingen/nieuw", {"overleg": big, "datum": dt.date.today().isoformat(), "begin": "19:00"}),
        ("POST", "/vergaderingen/nieuw", {"overleg": o, "datum": dt.date.today().isoformat(), "begin": "19:00",
                                          "partners": big}),
        ("POST", f"/vergaderingen/{v}/deelnemers", {"partners": big}),
        ("POST", f"/vergaderingen/{v}/aanwezigheid", {f"d-{big}": "aanwezig", "punt": big}),
        ("POST", f"/vergaderingen/{v}/punten", {"dossier": big, "soort": "dossier"}),
        ("POST", f"/vergaderingen/{v}/punten/{punt}/acties", {**actie, "partner": big, "dossier": big}),
        ("POST", f"/vergaderingen/{v}/verslag/bewerken", {"inhoud": "x", "versie": big}),
        ("POST", f"/vergaderingen/{v}/verslag/goedkeuren", {"goedgekeurd_in": big, "versie": "1"}),
        ("POST", f"/signalen/{s}/bewerken", {"titel": "Nieuw", "versie": big}),
        ("POST", f"/signalen/{s}/status", {"status": "gebundeld", "versie": big}),
        ("POST", "/signalen/nieuw", {"gemeente": big, "titel": "x"}),
    ]


def test_a_big_id_in_a_body_is_refused_never_a_500(mechelen, voorzitter, werker):
    """Ids in JSON bodies and forms (lists too), as JSON numbers and as text: the API answers a 4xx; a page a 4xx,
    or its form again / a redirect that changed nothing. Never a 500."""
    problems = []
    for big in (2147483648, 99999999999999999999, "2147483648"):
        for method, url, body in _bodies(mechelen, big):
            for persona in (voorzitter, werker):
                if url.startswith("/api/"):
                    response = persona.api(method, url, json=body, follow_redirects=False)
                    ok = 400 <= response.status_code < 500
                else:
                    form = {k: str(v) for k, v in body.items()}
                    response = persona.post_form(url, form, follow_redirects=False)
                    ok = response.status_code < 500
                if not ok:
                    problems.append(f"{persona.name} {method} {url} {body}: {response.status_code} "
                                    f"{response.text[:100]}")
    assert problems == []
