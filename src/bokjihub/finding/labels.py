"""Korean phrases the pages show that are not written in finding's own code: the engine's
labels (match reasons, screening reasons and agencies; the engine must not import Django)
and labels stored in JSON. Listed here with gettext_noop so that makemessages finds them;
the display layer translates them (templatetags.finding_inbox, screening_display).
A test keeps the lists in step with the engine."""

from django.utils.translation import gettext_noop as N_

# engine.linkage comparison levels (TriageItem.match_reasons), and finding's own reasons
MATCH_REASONS = (
    N_("이름 없음"),
    N_("이름 일치"),
    N_("이름 자모 하나 차이"),
    N_("이름 비슷함"),
    N_("성만 일치"),
    N_("이름 다름"),
    N_("출생연도 없음"),
    N_("출생연도 일치"),
    N_("출생연도 1년 차이"),
    N_("출생연도 다름"),
    N_("주소 없음"),
    N_("같은 도로명 주소"),
    N_("같은 도로"),
    N_("같은 동"),
    N_("주소 다름"),
    N_("주민등록번호 일치"),
    N_("연계 자료로 확인"),
    N_("담당자가 검색해 연결"),
    N_("담당자가 신고 내용으로 새로 등록"),
    N_("빅데이터 발굴 연계: 주민등록번호 키 일치"),
    N_("빅데이터 발굴 연계: 이름·생년월일·도로명주소 일치"),
)

# engine.screening.contract: each indicator's reason ({v}: the value) and its codes
SCREENING_REASONS = (
    N_("전기 단전"),
    N_("전기요금 {v}개월 체납"),
    N_("전기요금 {v}만원 체납"),
    N_("수도 단수"),
    N_("수도요금 {v}개월 체납"),
    N_("가스 공급 중단"),
    N_("가스요금 {v}개월 체납"),
    N_("건강보험료 {v}개월 체납"),
    N_("건강보험료 {v}만원 체납"),
    N_("국민연금 {v}개월 체납"),
    N_("통신비 {v}개월 체납"),
    N_("임대료 {v}개월 체납"),
    N_("공공임대 관리비 {v}개월 체납"),
    N_("기초생활보장 탈락({v})"),
    N_("긴급복지지원 종료"),
    N_("복지급여 중지"),
    N_("고용보험 자격 상실"),
    N_("실업급여 종료"),
    N_("임금체불 {v}만원"),
    N_("산재 요양 종료 후 미취업"),
    N_("의료비 본인부담 {v}만원"),
    N_("자살 시도로 응급실 내원 {v}회"),
    N_("{v}일 입원 후 퇴원"),
    N_("정신건강 치료 중단"),
    N_("자녀 {v}일 결석"),
    N_("아동급식 지원 대상"),
    N_("아동 방임 신고 {v}건"),
    N_("영유아 검진 {v}회 미수검"),
    N_("등록장애인"),
    N_("최근 가족 사별"),
    N_("65세 이상 홀로 거주"),
    N_("중장년 1인 남성 가구"),
    N_("고시원·쪽방 전입"),
    N_("보증금 {v}만원 미반환"),
    N_("금융 연체·채무조정"),
    N_("소득 초과"),
    N_("재산 초과"),
    N_("부양의무자 기준"),
    N_("기타"),
)

SCREENING_AGENCIES = (
    N_("한국전력공사"),
    N_("지자체 상수도사업본부"),
    N_("도시가스사업자"),
    N_("국민건강보험공단"),
    N_("국민연금공단"),
    N_("한국정보통신진흥협회(통신사)"),
    N_("한국토지주택공사·지방공사"),
    N_("사회보장정보원(행복e음)"),
    N_("고용노동부"),
    N_("국립중앙의료원(응급의료)"),
    N_("교육부(NEIS)"),
    N_("아동권리보장원"),
    N_("행정안전부(주민등록)"),
    N_("근로복지공단"),
    N_("국토교통부"),
)
