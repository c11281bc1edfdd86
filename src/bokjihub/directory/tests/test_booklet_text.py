"""The booklet's texts read as Korean lines, not as Python literals or bare counts."""

import re

import pytest

from bokjihub.directory.booklet_text import is_degenerate, readable, summary
from bokjihub.directory.models import Service
from bokjihub.directory.services import BOOKLET_SOURCE, directory_load_booklet

TEXT_FIELDS = (
    "description",
    "eligibility_description",
    "benefit",
    "application_process",
    "contact",
)
LITERAL = re.compile(r"[{\[]['\"]|['\"][}\]]")
COUNT_ONLY = re.compile(r"^(?:설명: )?\d+$")


def test_a_flattened_table_with_a_dict_becomes_item_value_lines():
    text = (
        "대상의 '사회활동' 관련 정보: 구분은(는) '사회활동', 지원대상은(는) "
        "'{'공익활동': '65세 이상 기초연금 수급자', '사회서비스형': '60세 이상'}'입니다. / "
        "대상의 '노인 일자리' 관련 정보: 구분은(는) '노인 일자리', "
        "비고은(는) '일부 60세 이상'입니다."
    )
    assert readable(text).splitlines() == [
        "■ 구분: 사회활동",
        "지원대상:",
        "· 공익활동: 65세 이상 기초연금 수급자",
        "· 사회서비스형: 60세 이상",
        "■ 구분: 노인 일자리",
        "비고: 일부 60세 이상",
    ]


def test_a_literal_inside_prose_gets_its_own_lines_and_the_prose_stays():
    text = "전국 회원조합 영업점. {'기관': 'SH수협은행', '연락처': '1588-0000'}"
    assert readable(text) == "전국 회원조합 영업점.\n기관: SH수협은행\n연락처: 1588-0000"


def test_a_list_becomes_bullets_and_a_cut_off_literal_loses_its_brackets():
    assert readable("['시내전화 50% 감면', '114 안내요금 면제']") == (
        "· 시내전화 50% 감면\n· 114 안내요금 면제"
    )
    cut = readable("지원 내용 {'구분': '특수식이', '세부내용': ['분유 : 연간 360만 원")
    assert not LITERAL.search(cut)
    assert "특수식이" in cut and "분유" in cut


def test_a_bare_count_says_nothing_and_plain_prose_is_left_alone():
    assert is_degenerate("4") and is_degenerate("설명: 4") and is_degenerate("")
    assert not is_degenerate("월 최대 33만 원 지급")
    assert readable("설명: 4") == ""
    assert readable("월 최대 33만 원 지급") == "월 최대 33만 원 지급"


def test_a_summary_takes_the_first_sentence_or_the_tables_row_names():
    assert summary("", "홀로 사는 어르신. 소득 기준 없음") == "홀로 사는 어르신"
    table = (
        "내용의 '내용' 관련 정보: 사업명은(는) '도산 대지급금', 상한액은(는) '{'a': 1}'입니다. / "
        "내용의 '내용' 관련 정보: 사업명은(는) '간이 대지급금'입니다."
    )
    assert summary(table) == "사업명: 도산 대지급금, 간이 대지급금"


@pytest.mark.django_db
@pytest.mark.accept_loop
def test_no_text_of_the_loaded_booklet_is_a_python_literal_or_a_bare_count():
    report = directory_load_booklet()
    # measured on the 2024 transcription: 74 services with tables or literals, and a
    # bare count instead of other items in every row
    assert (report.tables_rewritten, report.counts_dropped) == (74, 463)
    assert "표·목록 글을 읽기 쉽게 고친 서비스 74건" in report.summary()
    booklet = Service.objects.filter(source=BOOKLET_SOURCE)
    assert booklet.count() == 463
    for service in booklet:
        for name in TEXT_FIELDS:
            text = getattr(service, name)
            assert not LITERAL.search(text), (service.name, name, text[:120])
            assert not COUNT_ONLY.match(text.strip()), (service.name, name, text)
    jobs = Service.objects.get(name="노인 일자리 및 사회활동 지원")
    assert "· 공익활동: 65세 이상 기초연금 수급자" in jobs.eligibility_description.splitlines()
    assert jobs.description == "다양한 일자리 및 사회활동 지원"
    # Most services get a description from the booklet's other columns.
    assert booklet.exclude(description="").count() >= 440


@pytest.mark.django_db
@pytest.mark.accept_loop
def test_a_reload_cleans_rows_loaded_with_the_raw_transcription_text():
    directory_load_booklet()
    jobs = Service.objects.get(name="노인 일자리 및 사회활동 지원")
    Service.objects.filter(pk=jobs.pk).update(
        description="4", eligibility_description="{'공익활동': '65세 이상'}"
    )
    report = directory_load_booklet()
    assert (report.created, report.updated) == (0, 1)
    jobs.refresh_from_db()
    assert jobs.description == "다양한 일자리 및 사회활동 지원"
    assert "{'" not in jobs.eligibility_description
    assert directory_load_booklet().updated == 0
