"""Korean names for record linkage: jamo strings, surname splitting, romanised surnames.

A Hangul syllable is one code point, so an edit distance over syllables counts 김 → 감
like any other wrong letter. Decomposed into jamo (Unicode NFD: 김 = ᄀ ᅵ ᆷ) the same slip
is one edit of three, so distances over jamo say how close two names really are.

Surnames are split off first: two-syllable surnames (남궁, 선우, 제갈, 황보, 독고 …) are
recognised, and the common romanisations (Lee / Yi / Rhee → 이, Park / Pak / Bak → 박 …)
are mapped back to Hangul so that a report written by a partner agency in Latin letters
still compares equal on the surname. Pure Python, no Django.
"""

import re
import unicodedata
from dataclasses import dataclass

# Two-syllable surnames (복성). The census list (count ≥ 1000) holds the first six; the
# others are rarer but real and appear on welfare rolls.
COMPOUND_SURNAMES = frozenset(
    {"남궁", "황보", "제갈", "사공", "선우", "서문", "독고", "동방", "을지", "망절", "어금"}
)

# Romanisations seen on passports, foreign-registration cards and agency feeds. Where a
# spelling is shared (Choe is 최 in the official system, Chun is 전 and 천), it goes to the
# surname that uses it most.
_ROMANISED: dict[str, tuple[str, ...]] = {
    "김": ("kim", "gim", "ghim", "kym"),
    "이": ("lee", "yi", "rhee", "ri", "rhie", "i", "lie", "rie", "leigh"),
    "박": ("park", "pak", "bak", "bahk", "pack", "parc"),
    "최": ("choi", "choe", "chey", "choy", "chwe"),
    "정": ("jung", "jeong", "chung", "cheong", "joung", "jong", "chong"),
    "강": ("kang", "gang", "kahng"),
    "조": ("cho", "jo", "joh", "chough"),
    "윤": ("yoon", "yun", "youn", "yune"),
    "장": ("jang", "chang", "jhang", "zang"),
    "임": ("lim", "im", "rim", "yim", "leem", "lym"),
    "한": ("han", "hahn"),
    "오": ("oh", "o", "auh"),
    "서": ("seo", "suh", "sur", "so", "seoh"),
    "신": ("shin", "sin", "shinn", "sheen"),
    "권": ("kwon", "gwon", "kweon", "kwun"),
    "황": ("hwang", "whang", "hoang"),
    "안": ("ahn", "an", "ahan"),
    "송": ("song", "soung"),
    "전": ("jeon", "jun", "chun", "chon", "jeun", "cheon"),
    "홍": ("hong", "houng"),
    "유": ("yoo", "yu", "you"),
    "류": ("ryu", "ryoo", "rhyu", "lyu"),
    "고": ("ko", "go", "koh", "goh"),
    "문": ("moon", "mun", "mon"),
    "양": ("yang", "ryang"),
    "손": ("son", "sohn"),
    "배": ("bae", "bai", "pae", "pai"),
    "백": ("baek", "paik", "baik", "paek", "back", "baeg"),
    "허": ("heo", "hur", "huh", "her", "hu"),
    "남": ("nam", "nahm"),
    "심": ("shim", "sim", "sym"),
    "노": ("noh", "no", "roh", "ro", "nho"),
    "하": ("ha", "hah"),
    "곽": ("kwak", "gwak", "kwag"),
    "성": ("sung", "seong"),
    "차": ("cha", "char"),
    "주": ("joo", "ju", "jou"),
    "추": ("chu", "choo", "chou"),
    "우": ("woo", "u", "wu"),
    "구": ("koo", "gu", "ku", "goo"),
    "민": ("min",),
    "진": ("jin", "chin", "jhin"),
    "나": ("na", "ra", "nah"),
    "지": ("ji", "chi", "jee"),
    "엄": ("eom", "um", "uhm", "ohm"),
    "채": ("chae", "chai", "chea"),
    "원": ("won", "weon"),
    "방": ("bang", "pang"),
    "공": ("kong", "gong"),
    "현": ("hyun", "hyeon", "hyon"),
    "함": ("ham", "hahm"),
    "변": ("byun", "byeon", "pyun", "byon"),
    "염": ("yeom", "yum", "youm", "yom"),
    "여": ("yeo", "yuh", "yo", "yeh"),
    "도": ("do", "doh", "to"),
    "석": ("seok", "suk", "sok"),
    "설": ("seol", "sul", "sol"),
    "마": ("ma",),
    "길": ("gil", "kil"),
    "연": ("yeon",),
    "위": ("wi", "wee", "we"),
    "표": ("pyo", "pyoh"),
    "명": ("myung", "myeong", "myong"),
    "기": ("ki", "gi", "kee"),
    "반": ("ban", "pan"),
    "왕": ("wang",),
    "금": ("keum", "geum", "kum"),
    "옥": ("ok", "ock"),
    "육": ("yook", "yuk", "yug"),
    "인": ("in",),
    "맹": ("maeng", "meng"),
    "제": ("je", "jae", "jeh"),
    "탁": ("tak", "tahk"),
    "국": ("kook", "guk", "kuk"),
    "남궁": ("namgung", "namkung", "namgoong", "namkoong"),
    "선우": ("sunwoo", "seonu", "sunoo", "seonwoo"),
    "제갈": ("jegal", "chegal", "jekal"),
    "황보": ("hwangbo", "hwangboh"),
    "독고": ("dokgo", "tokko", "dokko"),
    "사공": ("sagong", "sakong"),
    "서문": ("seomun", "seomoon", "suhmoon"),
}
ROMANISED_SURNAMES: dict[str, str] = {
    spelling: hangul for hangul, spellings in _ROMANISED.items() for spelling in spellings
}

_HANGUL_SYLLABLE = re.compile(r"[가-힣]")
_NOT_NAME = re.compile(r"[^0-9a-z가-힣\s]")


@dataclass(frozen=True, slots=True)
class SplitName:
    surname: str  # Hangul where known, else the romanised spelling in lower case
    given: str  # Hangul, or the romanised spelling without spaces or hyphens


def jamo(text: str) -> str:
    """The text with every Hangul syllable decomposed into its jamo (NFD)."""
    return unicodedata.normalize("NFD", text)


def _clean(name: str) -> str:
    text = unicodedata.normalize("NFC", name).casefold()
    return re.sub(r"\s+", " ", _NOT_NAME.sub(" ", text.replace("-", ""))).strip()


def split_name(name: str) -> SplitName:
    """Surname and given name of a Korean name written in Hangul or Latin letters.

    "김영수" → 김 + 영수; "남궁민수" → 남궁 + 민수; "김 영수" → 김 + 영수 (a space is taken as
    the split); "Lee Young-soo" and "Youngsoo Lee" → 이 + youngsoo. A three-syllable name
    that begins with a two-syllable surname (황보라) is read as that surname, as registers
    write it; the full-name comparison does not depend on the split.
    """
    text = _clean(name)
    if not text:
        return SplitName("", "")
    if _HANGUL_SYLLABLE.match(text):
        return _split_hangul(text)
    tokens = text.split(" ")
    if len(tokens) > 1 and tokens[0] in ROMANISED_SURNAMES:
        return SplitName(ROMANISED_SURNAMES[tokens[0]], "".join(tokens[1:]))
    if len(tokens) > 1 and tokens[-1] in ROMANISED_SURNAMES:
        return SplitName(ROMANISED_SURNAMES[tokens[-1]], "".join(tokens[:-1]))
    return SplitName(tokens[0], "".join(tokens[1:]))


def _split_hangul(text: str) -> SplitName:
    if " " in text:
        surname, _, given = text.partition(" ")
        return SplitName(surname, given.replace(" ", ""))
    if len(text) >= 3 and text[:2] in COMPOUND_SURNAMES:
        return SplitName(text[:2], text[2:])
    return SplitName(text[:1], text[1:])


def surname_of(name: str) -> str:
    return split_name(name).surname


def name_key(name: str) -> str:
    """The name as one comparable string: surname (romanisations mapped to Hangul) then
    given name, no spaces."""
    split = split_name(name)
    return split.surname + split.given


def name_jamo(name: str) -> str:
    return jamo(name_key(name))
