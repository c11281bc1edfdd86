from datetime import date

import pytest

from bokjihub.web.templatetags.bokjihub_web import international_age


@pytest.mark.parametrize(
    ("born", "today", "expected"),
    [
        (date(1990, 5, 10), date(2026, 5, 9), 35),
        (date(1990, 5, 10), date(2026, 5, 10), 36),
        (date(2026, 1, 1), date(2026, 11, 26), 0),
        # born on 29 February: a year older on 1 March in a common year
        (date(2000, 2, 29), date(2025, 2, 28), 24),
        (date(2000, 2, 29), date(2025, 3, 1), 25),
        (date(2000, 2, 29), date(2024, 2, 29), 24),
    ],
)
def test_international_age_counts_whole_years_since_birth(born, today, expected):
    assert international_age(born, today) == expected
