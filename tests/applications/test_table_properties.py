"""Property: any mix of applications walked through the services gives tables that pass every
table 三 check, and one year's 结转下年度 is the next year's 上年结转."""

from datetime import date, timedelta

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.annual.checks import check_document
from gongkai.applications.services.reporting import annual_document
from gongkai.law.dispositions import Disposition
from gongkai.testing import factories as f
from gongkai.testing.walks import walk

KINDS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org"]

cases = st.lists(
    st.tuples(
        st.one_of(st.none(), st.sampled_from(list(Disposition))),  # None: still open
        st.sampled_from(KINDS),
        st.integers(min_value=0, max_value=75),  # received this many days after 1 Nov 2020
    ),
    min_size=1,
    max_size=5,
)


class Rollback(Exception):
    """Undo one example's rows (the test's own transaction stays open)."""


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cases=cases)
def test_any_mix_of_applications_passes_the_checks(cases, office, police, clerk):
    try:
        with transaction.atomic():
            received_2020 = 0
            for i, (disposition, kind, offset) in enumerate(cases):
                received = date(2020, 11, 2) + timedelta(days=offset)
                received_2020 += received.year == 2020
                data = (
                    f.person_data(description=f"第{i}号文件")
                    if kind == "natural_person"
                    else f.organisation_data(kind, description=f"第{i}号文件")
                )
                if disposition is None:
                    f.received_application(
                        actor=clerk, agency_obj=office, received_on=received, data=data
                    )
                else:
                    walk(
                        disposition,
                        clerk=clerk,
                        office=office,
                        elsewhere=police,
                        received_on=received,
                        data=data,
                    )
            d2020 = annual_document(office, 2020)
            d2021 = annual_document(office, 2021, previous=d2020)
            for doc in (d2020, d2021):
                bad = [x for x in check_document(doc) if x.rule.startswith(("t3.", "format."))]
                assert not bad, bad
            assert not [
                x for x in check_document(d2021, previous=d2020) if x.rule == "cross_year.carry"
            ]
            assert d2020["applications"]["new_received"]["total"] == received_2020
            assert d2020["applications"]["carried_forward"] == d2021["applications"]["carried_over"]
            raise Rollback
    except Rollback:
        pass
