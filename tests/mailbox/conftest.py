"""Fixtures of the mailbox: the county office runs the 县长信箱; the police answer letters."""

import pytest

from gongkai.accounts import rules
from gongkai.testing import factories as f


@pytest.fixture
def mailbox(office):
    from gongkai.mailbox.models import Mailbox
    from gongkai.mailbox.services import save_mailbox

    return save_mailbox(
        actor=rules.COMMAND_LINE,
        mailbox=Mailbox(agency=office, slug="county-head", name="县长信箱", kind="leader"),
    )


@pytest.fixture
def approver(office):
    return f.staff("approver", office, "approver")


@pytest.fixture
def police_clerk(police):
    return f.staff("police-clerk", police, "clerk")


@pytest.fixture
def police_approver(police):
    return f.staff("police-approver", police, "approver")


def letter_data(**overrides):
    data = {
        "writer_name": "张三丰",
        "phone": "13812345678",
        "email": "zhang@example.com",
        "address": "重庆市城口县葛城街道北大街12号",
        "category": "complaint",
        "subject": "北大街路灯不亮",
        "body": "我是张三丰，住北大街12号，电话13812345678。北大街路灯已坏两周，夜间出行不便。",
        "consent_to_publish": True,
        "notify_by": "email",
    }
    data.update(overrides)
    return data


@pytest.fixture
def letter(mailbox):
    from gongkai.mailbox.intake import take_letter

    return take_letter(mailbox=mailbox, data=letter_data(), idempotency_key="k1")[0]
