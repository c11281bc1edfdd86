"""Korean phrases the pages show that are not written in finding's own code: the engine's
labels (match reasons, screening reasons and agencies; the engine must not import Django)
and labels stored in JSON. Listed here with gettext_noop so that makemessages finds them;
the display layer translates them (templatetags.finding_inbox, screening_display).
A test keeps the lists in step with the engine."""

from django.utils.translation import gettext_noop

# engine.linkage comparison levels (TriageItem.match_reasons), and finding's own reasons
MATCH_REASONS = (
    gettext_noop("이름 없음"),
    gettext_noop("이름 일치"),
    gettext_noop("이름 자모 하나 차이"),
    gettext_noop("이름 비슷함"),
    gettext_noop("성만 일치"),
    gettext_noop("이름 다름"),
    gettext_noop("출생연도 없음"),
    gettext_noop("출생연도 일치"),
    gettext_noop("출생연도 1년 차이"),
    gettext_noop("출생연도 다름"),
    gettext_noop("주소 없음"),
    gettext_noop("같은 도로명 주소"),
    gettext_noop("같은 도로"),
    gettext_noop("같은 동"),
    gettext_noop("주소 다름"),
    gettext_noop("주민등록번호 일치"),
    gettext_noop("연계 자료로 확인"),
    gettext_noop("담당자가 검색해 연결"),
    gettext_noop("담당자가 신고 내용으로 새로 등록"),
    gettext_noop("빅데이터 발굴 연계: 주민등록번호 키 일치"),
    gettext_noop("빅데이터 발굴 연계: 이름·생년월일·도로명주소 일치"),
)

# engine.screening.contract: each indicator's reason ({v}: the value) and its codes
SCREENING_REASONS = (
    gettext_noop("전기 단전"),
    gettext_noop("전기요금 {v}개월 체납"),
    gettext_noop("전기요금 {v}만원 체납"),
    gettext_noop("수도 단수"),
    gettext_noop("수도요금 {v}개월 체납"),
    gettext_noop("가스 공급 중단"),
    gettext_noop("가스요금 {v}개월 체납"),
    gettext_noop("건강보험료 {v}개월 체납"),
    gettext_noop("건강보험료 {v}만원 체납"),
    gettext_noop("국민연금 {v}개월 체납"),
    gettext_noop("통신비 {v}개월 체납"),
    gettext_noop("임대료 {v}개월 체납"),
    gettext_noop("공공임대 관리비 {v}개월 체납"),
    gettext_noop("기초생활보장 탈락({v})"),
    gettext_noop("긴급복지지원 종료"),
    gettext_noop("복지급여 중지"),
    gettext_noop("고용보험 자격 상실"),
    gettext_noop("실업급여 종료"),
    gettext_noop("임금체불 {v}만원"),
    gettext_noop("산재 요양 종료 후 미취업"),
    gettext_noop("의료비 본인부담 {v}만원"),
    gettext_noop("자살 시도로 응급실 내원 {v}회"),
    gettext_noop("{v}일 입원 후 퇴원"),
    gettext_noop("정신건강 치료 중단"),
    gettext_noop("자녀 {v}일 결석"),
    gettext_noop("아동급식 지원 대상"),
    gettext_noop("아동 방임 신고 {v}건"),
    gettext_noop("영유아 검진 {v}회 미수검"),
    gettext_noop("등록장애인"),
    gettext_noop("최근 가족 사별"),
    gettext_noop("65세 이상 홀로 거주"),
    gettext_noop("중장년 1인 남성 가구"),
    gettext_noop("고시원·쪽방 전입"),
    gettext_noop("보증금 {v}만원 미반환"),
    gettext_noop("금융 연체·채무조정"),
    gettext_noop("소득 초과"),
    gettext_noop("재산 초과"),
    gettext_noop("부양의무자 기준"),
    gettext_noop("기타"),
)

SCREENING_AGENCIES = (
    gettext_noop("한국전력공사"),
    gettext_noop("지자체 상수도사업본부"),
    gettext_noop("도시가스사업자"),
    gettext_noop("국민건강보험공단"),
    gettext_noop("국민연금공단"),
    gettext_noop("한국정보통신진흥협회(통신사)"),
    gettext_noop("한국토지주택공사·지방공사"),
    gettext_noop("사회보장정보원(행복e음)"),
    gettext_noop("고용노동부"),
    gettext_noop("국립중앙의료원(응급의료)"),
    gettext_noop("교육부(NEIS)"),
    gettext_noop("아동권리보장원"),
    gettext_noop("행정안전부(주민등록)"),
    gettext_noop("근로복지공단"),
    gettext_noop("국토교통부"),
)
