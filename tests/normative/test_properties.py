"""Properties of the in-force rule and of table 二 over generated registers, and the 有效期
setting's bad values."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.normative.models import NormativeDocument
from gongkai.normative.selectors import in_force, table_two
from gongkai.normative.steps import STEPS

D = dt.date
days = st.integers(min_value=0, max_value=5 * 365).map(lambda n: D(2018, 1, 1) + dt.timedelta(n))
lives = st.lists(
    st.tuples(
        days,
        st.one_of(st.none(), st.integers(0, 900)),
        st.sampled_from(["abolish", "expire"]),
        st.one_of(st.none(), st.integers(0, 1200)),
    ),
    min_size=1,
    max_size=6,
)


@pytest.mark.django_db
@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lives=lives)
def test_in_force_and_table_two_agree_with_the_records(lives, keeper, publish, government):
    NormativeDocument.objects.all().delete()
    docs = []
    for published, end_after, how, valid_days in lives:
        expires = published + dt.timedelta(valid_days) if valid_days is not None else None
        doc = publish(published, expires_on=expires)
        if end_after is not None:
            on = published + dt.timedelta(end_after)
            # 废止 needs the document in force that day; 失效 may come after its 有效期
            if how == "expire" or expires is None or on <= expires:
                STEPS.run(how, actor=keeper, record=doc, on=on, decision_title="决定")
        doc.refresh_from_db()
        docs.append(doc)
    ids = [government.pk]
    for year in range(2018, 2024):
        end, last = D(year, 12, 31), D(year - 1, 12, 31)
        now = {d for d in docs if d.in_force_on(end)}
        assert set(in_force(agency_ids=ids, on=end)) == now
        row = table_two(agency_ids=ids, year=year, fmt="2021")["行政规范性文件"]
        before = table_two(agency_ids=ids, year=year - 1, fmt="2021")["行政规范性文件"]
        issued = {d for d in docs if d.published_on.year == year}
        gone = ({d for d in docs if d.in_force_on(last)} | issued) - now
        assert row["本年制发件数"] == len(issued)
        abolished = {d for d in docs if d.state == "abolished" and d.ended_on.year == year}
        assert row["本年废止件数"] == len(abolished)
        # every abolished document of the year stopped being in force in it
        assert row["本年废止件数"] <= len(gone)
        lapsed = len(gone) - row["本年废止件数"]  # 失效, or past the 有效期
        assert row["现行有效件数"] == (
            before["现行有效件数"] + row["本年制发件数"] - row["本年废止件数"] - lapsed
        )


@pytest.mark.parametrize(("raw", "message"), [("-1", "不能为负数"), ("five", "应为整数")])
def test_a_bad_validity_setting_stops_with_a_message(raw, message, tmp_path):
    env = {**os.environ, "GONGKAI_NORMATIVE_VALIDITY_YEARS": raw, "GONGKAI_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-c", "import gongkai.settings"], env=env, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert message in done.stderr and "GONGKAI_NORMATIVE_VALIDITY_YEARS" in done.stderr
