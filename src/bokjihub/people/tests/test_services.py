import pytest
from django.core.exceptions import ValidationError

from bokjihub.people.models import Household, Person
from bokjihub.people.services import PersonInput, household_register

pytestmark = pytest.mark.django_db

ADDRESS = "서울특별시 강동구 양재대로 1480 (길동)"


def _register(**overrides):
    arguments = {
        "road_address": ADDRESS,
        "members": [PersonInput(name="최순자", rrn="5204012345678", relation_to_head="head")],
    }
    arguments.update(overrides)
    return household_register(**arguments)


def _messages(error: ValidationError) -> dict[str, str]:
    return {field: messages[0] for field, messages in error.message_dict.items()}


def test_a_household_is_routed_to_the_dong_named_in_its_address(dong_a):
    household = _register()
    assert household.emd == dong_a
    person = household.members.get()
    assert person.rrn_masked == "520401-2******"
    assert person.sex == "F"
    assert str(person.birth_date) == "1952-04-01"


def test_the_rrn_is_stored_encrypted_with_its_key_id():
    person = _register().members.get()
    assert b"5204012345678" not in bytes(person.rrn_ciphertext)
    assert person.rrn_key_id
    assert len(person.rrn_blind_index) == 64


@pytest.mark.accept_foundation
@pytest.mark.parametrize(
    ("rrn", "expected"),
    [
        ("520401-234567", "13자리"),
        ("521301-2345676", "생년월일"),
        ("5204012345670", "검증"),
    ],
)
def test_a_malformed_rrn_gets_a_specific_message_and_nothing_is_saved(
    household_dong_a, rrn, expected
):
    before = (Household.objects.count(), Person.objects.count())
    with pytest.raises(ValidationError) as raised:
        _register(
            members=[
                PersonInput(name="최순자", rrn="5204012345678", relation_to_head="head"),
                PersonInput(name="최민호", rrn=rrn, relation_to_head="child"),
            ]
        )
    message = _messages(raised.value)["members.1.rrn"]
    assert expected in message
    assert rrn.replace("-", "") not in message
    assert (Household.objects.count(), Person.objects.count()) == before


@pytest.mark.accept_foundation
def test_an_unknown_region_code_gets_a_specific_message():
    with pytest.raises(ValidationError) as raised:
        _register(emd_code="1174099999")
    assert "'1174099999'" in _messages(raised.value)["road_address"]
    assert "찾을 수 없습니다" in _messages(raised.value)["road_address"]


@pytest.mark.accept_foundation
def test_an_address_outside_any_dong_gets_a_specific_message():
    with pytest.raises(ValidationError) as raised:
        _register(road_address="서울특별시 강동구 올림픽로 9999")
    assert "어느 읍·면·동에 속하는지" in _messages(raised.value)["road_address"]


def test_an_address_without_a_known_sigungu_is_refused():
    with pytest.raises(ValidationError) as raised:
        _register(road_address="어딘가 큰길 1")
    assert "시·군·구를 찾을 수 없습니다" in _messages(raised.value)["road_address"]


def test_an_address_of_another_gu_than_the_chosen_dong_is_refused(dong_a):
    with pytest.raises(ValidationError) as raised:
        _register(road_address="부산광역시 남구 수영로 1", emd_code=dong_a.code)
    assert "다릅니다" in _messages(raised.value)["road_address"]


def test_an_abolished_dong_code_names_its_successor():
    with pytest.raises(ValidationError) as raised:
        _register(road_address="광주광역시 동구 금남로 1", emd_code="2911052500")
    message = _messages(raised.value)["road_address"]
    assert "폐지" in message


def test_a_person_already_registered_elsewhere_is_refused(household_dong_a):
    with pytest.raises(ValidationError) as raised:
        _register(
            members=[PersonInput(name="김영수", rrn="4503151234563", relation_to_head="head")]
        )
    assert "이미 다른 가구에 등록된" in _messages(raised.value)["members.0.rrn"]


def test_a_household_needs_exactly_one_head():
    with pytest.raises(ValidationError) as raised:
        _register(
            members=[PersonInput(name="최순자", rrn="5204012345678", relation_to_head="spouse")]
        )
    assert "세대주" in _messages(raised.value)["members"]
