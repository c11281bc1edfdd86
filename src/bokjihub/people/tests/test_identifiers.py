import base64
import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from bokjihub.engine.rrn import parse_rrn
from bokjihub.people.identifiers import rrn_blind_index, rrn_decrypt, rrn_encrypt
from bokjihub.people.models import Person

KEY_A = base64.urlsafe_b64encode(b"a" * 32).decode()
KEY_B = base64.urlsafe_b64encode(b"b" * 32).decode()
RRN = "8807222345675"


def test_encryption_round_trips_and_never_repeats_a_ciphertext():
    rrn = parse_rrn(RRN)
    first, second = rrn_encrypt(rrn), rrn_encrypt(rrn)
    assert first.ciphertext != second.ciphertext  # fresh nonce each time
    assert rrn_decrypt(key_id=first.key_id, ciphertext=first.ciphertext).digits == RRN
    assert first.blind_index == second.blind_index == rrn_blind_index(rrn)
    assert RRN.encode() not in first.ciphertext


def test_a_ciphertext_that_was_tampered_with_does_not_decrypt():
    sealed = rrn_encrypt(parse_rrn(RRN))
    broken = sealed.ciphertext[:-1] + bytes([sealed.ciphertext[-1] ^ 1])
    with pytest.raises(Exception, match=""):
        rrn_decrypt(key_id=sealed.key_id, ciphertext=broken)


def test_an_active_key_missing_from_the_keyring_is_a_loud_configuration_error(settings):
    settings.RRN_KEYS = f"a:{KEY_A}"
    settings.RRN_ACTIVE_KEY_ID = "b"
    with pytest.raises(ImproperlyConfigured, match="not in BOKJIHUB_RRN_KEYS"):
        rrn_encrypt(parse_rrn(RRN))


def test_a_short_key_is_refused(settings):
    settings.RRN_KEYS = "a:c2hvcnQ="
    settings.RRN_ACTIVE_KEY_ID = "a"
    with pytest.raises(ImproperlyConfigured, match="32 bytes"):
        rrn_encrypt(parse_rrn(RRN))


@pytest.mark.django_db
def test_rotation_re_encrypts_every_rrn_under_the_new_key(
    settings, household_dong_a, household_dong_b
):
    original = settings.RRN_KEYS
    settings.RRN_KEYS = f"{original},a:{KEY_A}"
    settings.RRN_ACTIVE_KEY_ID = "a"
    call_command("people", "rotate-rrn-key", stdout=io.StringIO())
    assert set(Person.objects.values_list("rrn_key_id", flat=True)) == {"a"}

    settings.RRN_KEYS = f"a:{KEY_A},b:{KEY_B}"  # the original key is retired
    settings.RRN_ACTIVE_KEY_ID = "b"
    output = io.StringIO()
    call_command("people", "rotate-rrn-key", "--batch-size", "2", stdout=output)
    assert "3명" in output.getvalue()
    assert set(Person.objects.values_list("rrn_key_id", flat=True)) == {"b"}
    settings.RRN_KEYS = f"b:{KEY_B}"  # the old key can now be retired
    person = Person.objects.get(name="박지은")
    assert rrn_decrypt(key_id=person.rrn_key_id, ciphertext=person.rrn_ciphertext).digits == RRN
