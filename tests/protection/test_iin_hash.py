import hashlib
import hmac

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from personas import make_child
from qorgau.children.models import Child
from qorgau.search import child_search

from .conftest import IIN, raw_value


def _hmac(key: str, iin: str) -> str:
    return hmac.new(key.encode(), iin.encode(), hashlib.sha256).hexdigest()


def test_the_iin_is_stored_encrypted_with_a_keyed_hash_beside_it(filled, settings):
    assert IIN not in raw_value(Child, "iin", filled.child.pk)
    assert raw_value(Child, "iin_hash", filled.child.pk) == _hmac(
        settings.QORGAU_IIN_HASH_KEYS[0], IIN
    )
    assert Child.objects.get(pk=filled.child.pk).iin == IIN


def test_twelve_digits_still_find_the_child_exactly(filled, caseworker_pavlodar):
    assert list(child_search(actor=caseworker_pavlodar, text=IIN)) == [filled.child]
    assert not child_search(actor=caseworker_pavlodar, text="080615510904")


def test_a_second_child_with_the_same_iin_is_refused(filled, caseworker_pavlodar):
    with pytest.raises(ValidationError) as exc:
        make_child(actor=caseworker_pavlodar, birth_date=filled.child.birth_date, sex="M", iin=IIN)
    assert exc.value.error_dict["iin"][0].code == "duplicate_iin"


def test_the_database_refuses_a_duplicate_hash_too(filled, caseworker_pavlodar):
    twin = Child.objects.get(pk=filled.child.pk)
    twin.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_a_new_hash_key_keeps_search_working_until_and_after_the_rehash(
    filled, caseworker_pavlodar, settings
):
    old = settings.QORGAU_IIN_HASH_KEYS[0]
    new = "test-only-new-iin-hash-key-0123456789abcdef"
    settings.QORGAU_IIN_HASH_KEYS = [new, old]
    # Stored under the old key: found through it, and still refused as a duplicate.
    assert list(child_search(actor=caseworker_pavlodar, text=IIN)) == [filled.child]
    with pytest.raises(ValidationError):
        make_child(actor=caseworker_pavlodar, birth_date=filled.child.birth_date, sex="M", iin=IIN)

    call_command("encryption", "rehash-iin")
    assert raw_value(Child, "iin_hash", filled.child.pk) == _hmac(new, IIN)
    settings.QORGAU_IIN_HASH_KEYS = [new]
    assert list(child_search(actor=caseworker_pavlodar, text=IIN)) == [filled.child]
