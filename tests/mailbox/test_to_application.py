"""A letter that is really a disclosure application becomes one: registered through the
applications services with the data the clerk completes, the letter closed as redirected and
linked to it, both audited; a refused registration leaves the letter open and saves nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from gongkai.applications.models import Application
from gongkai.auditlog.models import AuditEntry
from gongkai.mailbox import services
from gongkai.mailbox.models import Letter
from gongkai.testing import factories as f

pytestmark = pytest.mark.django_db


def completed(letter, **overrides):
    data = services.application_data(letter)
    data.update(
        id_type="resident_id",
        id_number=f.resident_id(),
        description="城口县2020年北大街路灯改造项目的招标文件和合同",
        form_wanted="electronic",
        delivery_method="email",
    )
    data.update(overrides)
    return data


def test_the_letter_prefills_what_it_has(letter):
    data = services.application_data(letter)
    assert (data["applicant_name"], data["phone"], data["email"]) == (
        "张三丰",
        "13812345678",
        "zhang@example.com",
    )
    assert "北大街路灯不亮" in data["description"]


def test_a_letter_becomes_an_application_and_is_closed_with_a_link(letter, clerk, office):
    today = timezone.localdate()
    application = services.convert_to_application(
        actor=clerk,
        letter=letter,
        agency=office,
        channel="email",
        data=completed(letter),
        received_on=today,
    )
    letter.refresh_from_db()
    assert letter.state == Letter.State.REDIRECTED
    assert letter.redirect_kind == Letter.Redirect.APPLICATION
    assert letter.application_id == application.pk and letter.answered_on == today
    assert application.reference and application.reference in letter.reply
    assert (application.applicant_name, application.channel) == ("张三丰", "email")
    assert application.received_on == today
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert "redirect_to_application" in actions
    entry = AuditEntry.objects.get(action="redirect_to_application")
    assert entry.data["application"] == application.pk
    assert entry.after["state"] == "redirected"
    assert AuditEntry.objects.filter(object_id=str(application.pk)).exists()


def test_an_incomplete_application_is_refused_and_nothing_changes(letter, clerk, office):
    with pytest.raises(ValidationError) as error:
        services.convert_to_application(
            actor=clerk,
            letter=letter,
            agency=office,
            channel="in_person",
            data=completed(letter, description=""),
            received_on=timezone.localdate(),
        )
    assert "description" in error.value.message_dict
    letter.refresh_from_db()
    assert letter.state == Letter.State.SUBMITTED and letter.application_id is None
    assert not Application.objects.exists()


def test_a_closed_letter_or_a_stranger_cannot_convert(letter, clerk, office, police_clerk):
    with pytest.raises(PermissionDenied):
        services.convert_to_application(
            actor=police_clerk, letter=letter, agency=office, channel="email", data={}
        )
    services.redirect(actor=clerk, letter=letter, kind="petition", note="请到信访办")
    letter.refresh_from_db()
    with pytest.raises(ValidationError, match="不能再转为申请"):
        services.convert_to_application(
            actor=clerk,
            letter=letter,
            agency=office,
            channel="email",
            data=completed(letter),
            received_on=timezone.localdate(),
        )
    assert not Application.objects.exists()


def test_the_clerk_converts_on_the_page(client, letter, clerk):
    client.force_login(clerk)
    url = reverse("mailbox:to_application", args=[letter.pk])
    html = client.get(url).content.decode()
    assert 'value="张三丰"' in html and "北大街路灯不亮" in html
    form = completed(letter)
    form.update(
        agency=letter.agency_id,
        channel="email",
        received_on=timezone.localdate().isoformat(),
        accept="on",
        idempotency_key="a" * 32,
    )
    bad = client.post(url, {**form, "phone": ""})
    assert bad.status_code == 400 and not Application.objects.exists()
    response = client.post(url, form)
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:detail", args=[application.pk])
    html = client.get(reverse("mailbox:letter", args=[letter.pk])).content.decode()
    assert reverse("applications:detail", args=[application.pk]) in html
    assert Letter.objects.get(pk=letter.pk).state == Letter.State.REDIRECTED
