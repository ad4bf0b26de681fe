"""One password policy for every place a password is set: Piccolo Admin, `manage.py createuser`, and the
invitation and reset pages (`check_password`). At least 12 characters, not the username, not a common or breached
password (zxcvbn's bundled list of 30,000, checked offline) and not easy to guess (zxcvbn score 3 or more).

The demo accounts (`demo-demo`, admin/demo.py) are created directly, in demo mode only, and skip this policy.
"""

from __future__ import annotations

import functools
from typing import Any

from piccolo.apps.user.tables import BaseUser
from zxcvbn import zxcvbn  # type: ignore[import-untyped]
from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

MIN_LENGTH = 12
MAX_LENGTH = BaseUser._max_password_length
MIN_SCORE = 3  # zxcvbn: 0 too guessable … 4 very unguessable
_ZXCVBN_MAX = 72  # zxcvbn refuses longer input; the first 72 characters decide

TOO_SHORT = f"Een wachtwoord moet minstens {MIN_LENGTH} tekens lang zijn."
TOO_LONG = f"Een wachtwoord mag hoogstens {MAX_LENGTH} tekens lang zijn."
IS_USERNAME = "Het wachtwoord mag niet je gebruikersnaam bevatten."
COMMON = "Dit wachtwoord komt voor in lijsten van veelgebruikte of gelekte wachtwoorden. Kies een ander."
GUESSABLE = ("Dit wachtwoord is te makkelijk te raden. Kies een langere zin van een paar woorden die niet "
             "bij elkaar horen.")


@functools.cache
def _common() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def check_password(password: str, username: str | None = None) -> str | None:
    """None when the password may be used; else why not, in Dutch."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    lowered = password.lower()
    if username and len(username) >= 3 and username.lower() in lowered:
        return IS_USERNAME
    if lowered in _common() or lowered.strip("0123456789!?.") in _common():
        return COMMON
    inputs = [username] if username else []
    if zxcvbn(password[:_ZXCVBN_MAX], user_inputs=inputs)["score"] < MIN_SCORE:
        return GUESSABLE
    return None


def _validate(cls: type[BaseUser], password: str) -> None:
    if not password:
        raise ValueError("Geef een wachtwoord op.")
    if password.startswith("pbkdf2_sha256"):
        raise ValueError("Geef het wachtwoord zelf op, geen hash.")
    problem = check_password(password)
    if problem:
        raise ValueError(problem)


_piccolo_create_user = BaseUser.create_user.__func__  # type: ignore[attr-defined]


async def _create_user(cls: type[BaseUser], username: str, password: str, **extra: Any) -> BaseUser:
    problem = check_password(password, username=username) if password else None
    if problem:
        raise ValueError(problem)
    return await _piccolo_create_user(cls, username, password, **extra)


def enforce_on_piccolo_users() -> None:
    """Make Piccolo's own checks (Piccolo Admin's user form and password change, `create_user`,
    `update_password`) apply this policy: they all call BaseUser._validate_password / create_user."""
    BaseUser._min_password_length = MIN_LENGTH
    BaseUser._validate_password = classmethod(_validate)  # type: ignore[method-assign,assignment]
    BaseUser.create_user = classmethod(_create_user)  # type: ignore[method-assign,assignment]
