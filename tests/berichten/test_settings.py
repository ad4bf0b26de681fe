"""SMTP_URL and SIGNAALWERK_MAIL_FROM are parsed strictly: a bad value stops the app at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import settings as settings_module
from berichten.transport import parse_url
from settings import SettingsError

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("url", ["smtp://user:pa%40ss@mail.example.be:587", "smtps://u:p@mail.example.be:465",
                                 "smtp://127.0.0.1:25", "smtp://relay.example.be?starttls=0", " smtp://x.example "])
def test_good_smtp_urls_are_taken(monkeypatch, url):
    monkeypatch.setenv("SMTP_URL", url)
    assert settings_module._smtp_url() == url.strip()


@pytest.mark.parametrize("url", ["http://mail.example.be", "mail.example.be:587", "smtp://", "smtp://x:99999",
                                 "smtp://x/pad", "smtp://x?tls=yes", "smtp://x#frag", "smtps:///"])
def test_bad_smtp_urls_stop_the_app(monkeypatch, url):
    monkeypatch.setenv("SMTP_URL", url)
    with pytest.raises(SettingsError) as error:
        settings_module._smtp_url()
    assert "geheim" not in str(error.value)


def test_the_password_of_the_smtp_url_is_never_in_the_error_or_the_config_repr(monkeypatch):
    monkeypatch.setenv("SMTP_URL", "smtp://user:geheim@x/pad")
    with pytest.raises(SettingsError) as error:
        settings_module._smtp_url()
    assert "geheim" not in str(error.value)
    config = parse_url("smtp://user:ge%2Fheim@mail.example.be")
    assert config is not None and config.password == "ge/heim" and config.port == 587 and not config.tls
    assert "heim" not in repr(config)
    assert parse_url("smtps://mail.example.be").port == 465
    assert parse_url("smtp://x?starttls=1").starttls is True and parse_url("") is None


@pytest.mark.parametrize("value, ok", [("Signaalwerk <noreply@example.be>", True), ("noreply@example.be", True),
                                       ("geen adres", False), ("a@b\r\nBcc: c@d.be", False), ("<>", False)])
def test_mail_from_is_an_address(monkeypatch, value, ok):
    monkeypatch.setenv("SIGNAALWERK_MAIL_FROM", value)
    if ok:
        assert settings_module._mail_from() == value
    else:
        with pytest.raises(SettingsError):
            settings_module._mail_from()


def test_the_command_refuses_to_start_with_a_bad_smtp_url():
    env = {**os.environ, "SMTP_URL": "http://mail.example.be", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "manage.py", "berichten", "--once"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "SMTP_URL must look like" in result.stderr
