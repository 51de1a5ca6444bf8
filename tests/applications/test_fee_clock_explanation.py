"""With GONGKAI_FEE_CLOCK_STOPS on, a fee stop is explained by the agency's rule, not as a
consultation under 第三十三条第三款 (docs/adr/fee-clock-is-local-policy.md)."""

from datetime import date

from django.test import override_settings

from gongkai.applications import services as s
from gongkai.testing import factories as f


def _fee_app(office, clerk):
    app = f.received_application(actor=clerk, agency_obj=office, received_on=date(2026, 3, 2))
    s.issue_fee_notice(
        actor=clerk,
        application=app,
        method="per_page",
        pages=45,
        payment_method="缴款码",
        issued_on=date(2026, 3, 4),
    )
    s.record_payment(actor=clerk, application=app, paid_on=date(2026, 3, 9))
    app.refresh_from_db()
    return app


@override_settings(GONGKAI_FEE_CLOCK_STOPS=True)
def test_a_fee_stop_is_explained_by_the_fee_rule(office, clerk):
    app = _fee_app(office, clerk)
    assert [p["kind"] for p in app.clock_basis["pauses"]] == ["fee"]
    fee_days = [line for line in app.clock_explanation.splitlines() if "信息处理费期间" in line]
    assert [line[:10] for line in fee_days[:3]] == ["2026-03-05", "2026-03-06", "2026-03-09"]
    assert "第三十三条第三款" not in app.clock_explanation
    assert all("本机关规定" in line and "109号" in line for line in fee_days[:3])


@override_settings(GONGKAI_FEE_CLOCK_STOPS=True)
def test_a_consultation_beside_it_still_cites_article_33(office, clerk):
    app = _fee_app(office, clerk)
    s.open_consultation(
        actor=clerk,
        application=app,
        kind="third_party",
        party="某公司",
        sent_on=date(2026, 3, 10),
    )
    app.refresh_from_db()
    text = app.clock_explanation
    assert "征求第三方意见期间" in text and "第三十二条、第三十三条第三款" in text
    assert "信息处理费期间" in text
