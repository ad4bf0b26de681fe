"""Privacy guard: flag personal data in the free text of a signaal before it is stored.

No I/O, no state (only `confirmations` reads the clock). `scan_text` returns non-overlapping findings sorted by start;
`redact` replaces them by a placeholder. Detected kinds: see KINDS.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import phonenumbers
from stdnum.be import nn

from common.dates import MAANDEN, MAANDEN_KORT, now, today
from signalen.privacy_names import (
    COUNT_WORDS,
    KNOWN_STREETS,
    LOWER_STREET_SUFFIXES,
    STOPWORDS,
    STREET_SUFFIXES,
    find_names,
)

KINDS: dict[str, str] = {
    "naam": "naam van een persoon",
    "telefoon": "telefoonnummer",
    "email": "e-mailadres",
    "handle": "account op sociale media",
    "adres": "adres met huisnummer",
    "geboortedatum": "geboortedatum",
    "rijksregisternummer": "rijksregisternummer",
}
REPLACEMENTS: dict[str, str] = {
    "naam": "[naam]",
    "telefoon": "[telefoonnummer]",
    "email": "[e-mailadres]",
    "handle": "[account]",
    "adres": "[adres]",
    "geboortedatum": "[geboortedatum]",
    "rijksregisternummer": "[rijksregisternummer]",
}
# When two candidates overlap, the kind listed first wins.
_PRIORITY = ("email", "rijksregisternummer", "telefoon", "handle", "adres", "geboortedatum", "naam")
PHONE_LENIENCY = phonenumbers.Leniency.POSSIBLE


@dataclass(frozen=True)
class Finding:
    kind: str
    field: str
    start: int
    end: int
    text: str

    def as_dict(self) -> dict:
        return {
            "soort": self.kind,
            "label": KINDS.get(self.kind, self.kind),
            "veld": self.field,
            "start": self.start,
            "einde": self.end,
            "tekst": self.text,
            "vervanging": REPLACEMENTS.get(self.kind, "[verwijderd]"),
        }


_Span = tuple[str, int, int]  # (kind, start, end)

# ---------------------------------------------------------------- e-mail, handle, rijksregisternummer
_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9._%+-]{1,64}\Z")
_EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,24}")
_AT_HANDLE = re.compile(r"(?<![\w@.+-])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,29}[A-Za-z0-9_])?)(?![\w@])")
_CUE_HANDLE = re.compile(
    r"\b(?:snap(?:chat)?|insta(?:gram)?|ig|tiktok|tik\s?tok|discord|telegram|twitter|facebook|fb)"
    r"(?:[- ]?(?:account|naam|name))?\s*(?:(:|=)|\s(?:is|als|heet(?:\s+(?:hij|ze|zij))?|=)\s|\s)\s*"
    r"([A-Za-z0-9_](?:[A-Za-z0-9_.]{1,29}[A-Za-z0-9_]))(?![\w@])",
    re.IGNORECASE,
)
_RRN = re.compile(r"(?<![\d.,/-])\d{2}([ .]?)\d{2}\1\d{2}[ .-]?\d{3}[ .-]?\d{2}(?![\d]|[.,/-]\d)")


def _emails(text: str) -> list[_Span]:
    out = []
    at = text.find("@")
    while at != -1:
        left = at
        while left > 0 and at - left < 64 and text[left - 1] in _LOCAL_CHARS:
            left -= 1
        local = text[left:at].lstrip(".")
        m = _EMAIL_DOMAIN.match(text, at + 1)
        if local and m and _EMAIL_LOCAL.match(local):
            out.append(("email", at - len(local), m.end()))
        at = text.find("@", at + 1)
    return out


def _handles(text: str) -> list[_Span]:
    out = [("handle", m.start(), m.end()) for m in _AT_HANDLE.finditer(text)]
    for m in _CUE_HANDLE.finditer(text):
        token = m.group(2)
        handle_like = any(c.isdigit() or c in "_." for c in token) and not token.replace(".", "").isdigit()
        if m.group(1):  # "snap: naam"
            ok = handle_like or (token.islower() and token not in STOPWORDS)
        else:  # "snap is naam_12", "insta noor.xx"
            ok = handle_like and not token[0].isdigit()
        if ok:
            out.append(("handle", m.start(2), m.end(2)))
    return out


def _national_numbers(text: str) -> list[_Span]:
    return [
        ("rijksregisternummer", m.start(), m.end())
        for m in _RRN.finditer(text)
        if nn.is_valid(re.sub(r"\D", "", m.group()))
    ]


# ---------------------------------------------------------------- telefoon
_DIGIT = re.compile(r"\d")
_NOT_PHONE_CUE = re.compile(r"(?:ondernemings|btw|kbo|rekening|iban|dossier|factuur)\w*\W*(?:BE)?\W*\Z", re.I)
_DATE_SHAPE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")


def _phones(text: str) -> list[_Span]:
    if len(_DIGIT.findall(text)) < 8:
        return []
    out = []
    for m in phonenumbers.PhoneNumberMatcher(text, "BE", leniency=PHONE_LENIENCY, max_tries=200):
        raw, start = m.raw_string, m.start
        if raw.startswith("(") and raw.count("(") > raw.count(")"):
            raw, start = raw[1:].lstrip(), m.end - len(raw[1:].lstrip())
        digits = re.sub(r"\D", "", raw)
        if raw.startswith("+") or digits.startswith("00"):
            if not phonenumbers.is_possible_number(m.number):
                continue
        elif not digits.startswith("0") or len(digits) not in (9, 10) or _DATE_SHAPE.fullmatch(raw):
            continue
        if _NOT_PHONE_CUE.search(text, max(0, start - 30), start):
            continue  # "ondernemingsnummer 0123.456.789", "BTW BE 0123.456.789"
        out.append(("telefoon", start, m.end))
    return out


# ---------------------------------------------------------------- geboortedatum
_MONTHS = "|".join(dict.fromkeys((*MAANDEN, *MAANDEN_KORT, "sept")))
_DATE = re.compile(
    rf"(?<![\w./-])(?:(?P<d>\d{{1,2}})(?P<sep>[./-])(?P<m>\d{{1,2}})(?:(?P=sep)(?P<y>\d{{4}}|\d{{2}}))?"
    rf"|(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})"
    rf"|(?P<td>\d{{1,2}})(?:e|de|ste)?\s+(?P<tm>{_MONTHS})\.?(?:\s+(?P<ty>\d{{4}}))?)(?![\w]|[./-]\d)",
    re.IGNORECASE,
)
_BIRTH_CUE = re.compile(
    r"(?:\bgeboren\b|\bgeb\.|(?<![\d\w])°|\bgeboortedatum\b|\bgeboortedag\b|\bverjaardag\b|\bjarig\b"
    r"|\bwordt\s+\d{1,2}(?:\s+jaar)?\s+op\b|\bDOB\b)",
    re.IGNORECASE,
)
_CUE_GAP = re.compile(
    r"[\s:=(,.°-]*(?:(?:op|is|was|de|den|datum|rond|omstreeks|van|[A-Z][\w-]+)\b[\s:,]*){0,3}\Z"
)
_WEAK_CUE = re.compile(r"(?:\b(?:is|was|zijn|van)\s+van\s*|[\w)]\s*\(\s*|,\s*)\Z", re.IGNORECASE)


def _birth_dates(text: str) -> list[_Span]:
    this_year = today().year
    youth_years = range(this_year - 30, this_year - 7)  # born 8 to 30 years ago
    out = []
    for m in _DATE.finditer(text):
        g = m.groupdict()
        day, month, year = (g["d"], g["m"], g["y"]) if g["d"] else (g["id"], g["im"], g["iy"])
        day, month, year = (g["td"], "1", g["ty"]) if g["td"] else (day, month, year)
        if not (1 <= int(day) <= 31 and 1 <= int(month) <= 12):
            continue
        y = int(year) if year else None
        if y is not None and y < 100:
            y += 2000 if y <= this_year % 100 else 1900
        if y is not None and not 1900 <= y <= this_year:
            continue
        before = text[max(0, m.start() - 60) : m.start()]
        cues = list(_BIRTH_CUE.finditer(before))
        strong = bool(cues) and bool(_CUE_GAP.match(before, cues[-1].end()))
        youth = y in youth_years and bool(
            cues or _BIRTH_CUE.search(text, m.end(), m.end() + 40) or _WEAK_CUE.search(before)
        )
        if strong or youth:
            out.append(("geboortedatum", m.start(), m.end()))
    return out


# ---------------------------------------------------------------- adres
_STREET_PARTICLES = ("de", "van", "der", "den")
_NUMBER = re.compile(
    r"\s+(\d{1,4})(?:[a-zA-Z](?!\w)|\s?bis\b|-\d{1,4}\b)?(?:,?\s*(?:bus|/)\s*\d{1,4}[a-zA-Z]?)?(?![\w.,:/-]?\d)"
)
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W\d_])?")
_POSTCODE = re.compile(r",?\s+[1-9]\d{3}\s+[A-Z][\w-]+")
_REVERSED_ADDRESS = re.compile(
    r"\b(?:nummer|nr\.?|huisnummer)\s*\d{1,4}[a-zA-Z]?\s+(?:in|op|aan)\s+(?:de|het)\s+([A-Za-z][\w'-]+)", re.I
)


def _is_street(word: str, capital_prefix: bool) -> bool:
    low = word.lower()
    if low in KNOWN_STREETS:
        return True
    if word[0].isupper():
        return any(low.endswith(s) and (len(low) > len(s) + 1 or capital_prefix) for s in STREET_SUFFIXES)
    return any(low.endswith(s) and len(low) > len(s) + 2 for s in LOWER_STREET_SUFFIXES)


def _addresses(text: str, words: list[re.Match]) -> list[_Span]:
    out = []
    for i, w in enumerate(words):
        num = _NUMBER.match(text, w.end())
        if not num:
            continue
        after = _WORD.match(text, num.end() + 1 if text[num.end() : num.end() + 1] == " " else num.end())
        if after and after.start() == num.end() + 1 and after.group().lower() in COUNT_WORDS:
            continue
        j = i  # extend to the left over "Grote", "Koningin", "Frederik de", "Sint-" ...
        while j > 0 and text[words[j - 1].end() : words[j].start()] == " ":
            prev = words[j - 1].group()
            if prev[0].isupper() and prev.lower() not in STOPWORDS or prev.lower() in _STREET_PARTICLES:
                j -= 1
            else:
                break
        while j < i and not words[j].group()[0].isupper():
            j += 1
        if not _is_street(w.group(), j < i and words[i - 1].group()[0].isupper()):
            continue
        end = num.end()
        post = _POSTCODE.match(text, end)
        out.append(("adres", words[j].start(), post.end() if post else end))
    for m in _REVERSED_ADDRESS.finditer(text):
        if _is_street(m.group(1), False):
            out.append(("adres", m.start(), m.end()))
    return out


# ---------------------------------------------------------------- public API
def scan_text(text: str, field: str = "") -> list[Finding]:
    """Find personal data in `text`; sorted by start, non-overlapping. Never raises on odd input."""
    if not isinstance(text, str) or not text.strip():
        return []
    words = list(_WORD.finditer(text))
    candidates: list[_Span] = []
    for detector in (_emails, _handles, _national_numbers, _phones, _birth_dates):
        candidates += detector(text)
    candidates += _addresses(text, words)
    candidates += find_names(text, words)
    candidates.sort(key=lambda c: (_PRIORITY.index(c[0]), c[1], c[1] - c[2]))
    taken: list[_Span] = []
    used = bytearray(len(text))
    for kind, start, end in candidates:
        if end > start and used.find(1, start, end) == -1:
            taken.append((kind, start, end))
            used[start:end] = b"\1" * (end - start)
    taken.sort(key=lambda c: c[1])
    return [Finding(kind, field, start, end, text[start:end]) for kind, start, end in taken]


def scan_fields(fields: Mapping[str, str | Sequence[str] | None]) -> list[Finding]:
    """Scan every text field; list fields report their index as "citaten.0", "citaten.1", ..."""
    findings: list[Finding] = []
    if not isinstance(fields, Mapping):
        return findings
    for key, value in fields.items():
        if isinstance(value, str):
            findings += scan_text(value, str(key))
        elif isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    findings += scan_text(item, f"{key}.{index}")
    return findings


def redact(text: str, findings: Iterable[Finding]) -> str:
    """Replace each finding's span by its placeholder, right to left; findings that don't fit are skipped."""
    if not isinstance(text, str):
        return text
    last = len(text) + 1
    for f in sorted(findings, key=lambda f: (f.start, f.end), reverse=True):
        if 0 <= f.start < f.end <= min(last, len(text)) and text[f.start : f.end] == f.text:
            text = text[: f.start] + REPLACEMENTS.get(f.kind, "[verwijderd]") + text[f.end :]
            last = f.start
    return text


def redact_fields(fields: Mapping[str, str | Sequence[str] | None], findings: Iterable[Finding]) -> dict:
    """Redact a mapping as given to scan_fields; returns a dict of the same shape."""
    by_field: dict[str, list[Finding]] = {}
    for f in findings:
        by_field.setdefault(f.field, []).append(f)
    result: dict = {}
    if not isinstance(fields, Mapping):
        return result
    for key, value in fields.items():
        if isinstance(value, str):
            result[key] = redact(value, by_field.get(str(key), []))
        elif isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
            items = [
                redact(item, by_field.get(f"{key}.{i}", [])) if isinstance(item, str) else item
                for i, item in enumerate(value)
            ]
            result[key] = tuple(items) if isinstance(value, tuple) else items
        else:
            result[key] = value
    return result


# ---------------------------------------------------------------- confirmations

def unconfirmed(findings: Iterable[Finding], confirmed: Iterable[Mapping]) -> list[Finding]:
    """The findings nobody confirmed yet: a confirmation holds for the same text of the same kind in the same field."""
    known = {(c.get("veld"), c.get("soort"), c.get("tekst")) for c in confirmed if isinstance(c, Mapping)}
    return [f for f in findings if (f.field, f.kind, f.text) not in known]


def confirmations(findings: Iterable[Finding], user_id: int | None, previous: Iterable[Mapping]) -> list[dict]:
    """What to store: every current finding with who confirmed it and when (an earlier confirmation is kept)."""
    stamp = now().isoformat(timespec="seconds")
    kept = {(c.get("veld"), c.get("soort"), c.get("tekst")): dict(c) for c in previous if isinstance(c, Mapping)}
    return [kept.get((f.field, f.kind, f.text)) or {**f.as_dict(), "bevestigd_door": user_id, "bevestigd_op": stamp}
            for f in findings]
