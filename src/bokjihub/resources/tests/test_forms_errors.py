"""The resources forms are checked on the server only: every mistake of a form is named
at once beside its field, text over its limit is refused with the limit named, and what
was typed stays on the page."""

import pytest
from django.urls import reverse

from bokjihub.resources.forms import NEED_DESCRIPTION_MAX
from bokjihub.resources.models import AllocationRun, WaitingNeed

pytestmark = [pytest.mark.django_db, pytest.mark.accept_services]


def test_every_mistake_of_a_need_is_named_at_once_and_the_typing_is_kept(
    login, officer_dong_a, dong_a
):
    too_long = "교" * (NEED_DESCRIPTION_MAX + 1)
    response = login(officer_dong_a).post(
        reverse("resources:resources_needs"),
        {
            "emd": dong_a.code,
            "target_group": "pets",
            "kind": "in_kind",
            "quantity": "",
            "weight": "9",
            "description": too_long,
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "지원 대상을 목록에서 골라 주세요." in body
    assert "필요한 양을 적어 주세요." in body
    assert "긴급도는 1에서 5 사이에서 골라 주세요." in body
    assert "200자 이내로 적어 주세요 (지금 201자)" in body
    assert "고칠 곳: 4군데" in body
    assert f'value="{too_long}"' in body  # nothing typed is lost
    assert not WaitingNeed.objects.exists()


def test_a_need_quantity_over_the_maximum_names_the_maximum(login, officer_dong_a, dong_a):
    response = login(officer_dong_a).post(
        reverse("resources:resources_needs"),
        {
            "emd": dong_a.code,
            "target_group": "children",
            "kind": "cash",
            "quantity": "100000001",
            "weight": "3",
            "description": "생계비",
        },
    )
    assert response.status_code == 400
    assert "필요한 양은 100,000,000 이하로 적어 주세요." in response.content.decode()


def test_the_need_form_leaves_checking_to_the_server_and_cuts_nothing_short(login, officer_dong_a):
    body = login(officer_dong_a).get(reverse("resources:resources_needs")).content.decode()
    form = body[body.index('<form method="post" class="case-section') :]
    form = form[: form.index("</form>")]
    assert "novalidate" in form
    assert " maxlength=" not in form
    assert f'data-maxlength="{NEED_DESCRIPTION_MAX}"' in form


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("150", "형평성 여유는 100 이하여야 합니다."),
        ("-1", "형평성 여유는 0 이상이어야 합니다."),
        ("반", "형평성 여유는 0에서 100 사이의 숫자로 적어 주세요."),
    ],
)
def test_a_bad_equity_slack_is_refused_beside_the_field_and_nothing_runs(
    login, gu_case_manager, typed, message
):
    response = login(gu_case_manager).post(
        reverse("resources:resources_allocation"), {"floor_slack": typed}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f'value="{typed}"' in body
    assert "novalidate" in body
    assert not AllocationRun.objects.exists()


def test_an_empty_equity_slack_runs_with_none(login, gu_case_manager):
    response = login(gu_case_manager).post(
        reverse("resources:resources_allocation"), {"floor_slack": ""}
    )
    assert response.status_code == 303
    assert AllocationRun.objects.get().floor_slack == 0
