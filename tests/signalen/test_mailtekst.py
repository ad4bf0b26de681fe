"""Mail text passes the privacy guard: what the outbox gets carries no personal data of a young person."""

from signalen.mailtekst import redacted


def test_a_name_phone_and_address_are_replaced():
    text = redacted("Overlast rond Jan Peeters, gsm 0470 12 34 56, Kerkstraat 12 in Mechelen.")
    assert "Peeters" not in text and "0470 12 34 56" not in text and "Kerkstraat 12" not in text
    assert "Mechelen" in text


def test_plain_text_and_nothing_stay_as_they_are():
    assert redacted("Te weinig ontmoetingsplekken in Nekkerspoel") == "Te weinig ontmoetingsplekken in Nekkerspoel"
    assert redacted(None) == "" and redacted("") == ""
