"""Publication on the portal (互动交流 · 信件选登): only with consent, personal data masked."""

import pytest
from django.urls import reverse

from gongkai.mailbox import services
from gongkai.mailbox.intake import take_letter
from tests.mailbox.conftest import letter_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(mailbox, letter, clerk, approver, police, police_clerk):
    letter = services.transfer(actor=clerk, letter=letter, to_agency=police)
    letter = services.draft_reply(
        actor=police_clerk, letter=letter, text="张三丰同志：路灯已于次日修复。"
    )
    return services.approve_reply(actor=approver, letter=letter)


def test_a_published_letter_shows_dates_department_and_reply_masked(client, answered, clerk):
    assert client.get(reverse("mailbox:published")).content.decode().count("北大街路灯") == 0
    services.publish(actor=clerk, letter=answered)
    listing = client.get(reverse("mailbox:published")).content.decode()
    assert "北大街路灯不亮" in listing and "城口县公安局" in listing
    page = client.get(reverse("mailbox:published_letter", args=[answered.pk])).content.decode()
    for label in ("受理日期", "答复日期", "答复部门", "答复内容"):
        assert label in page
    assert answered.received_on.strftime("%Y年") in page
    assert "路灯已于次日修复" in page and "张**同志" in page
    for private in ("张三丰", "13812345678", "北大街12号", "zhang@example.com"):
        assert private not in page


def test_withdrawn_and_unconsented_letters_are_not_shown(
    client, mailbox, answered, clerk, approver
):
    services.publish(actor=clerk, letter=answered)
    services.unpublish(actor=clerk, letter=answered)
    url = reverse("mailbox:published_letter", args=[answered.pk])
    assert client.get(url).status_code == 404
    private = take_letter(mailbox=mailbox, data=letter_data(consent_to_publish=False))[0]
    assert client.get(reverse("mailbox:published_letter", args=[private.pk])).status_code == 404


def test_only_the_mailbox_office_publishes(answered, police_clerk):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.publish(actor=police_clerk, letter=answered)
