"""The back office for agencies, reporting units, users and their roles."""

import pytest
from django.urls import reverse

from gongkai.accounts.models import Membership, User
from gongkai.agencies.models import Agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, demo_county):
    client.force_login(User.objects.get(username="admin"))
    return client


@pytest.mark.parametrize(
    "name",
    [
        "admin:agencies_agency_changelist",
        "admin:agencies_agency_add",
        "admin:agencies_reportingunit_changelist",
        "admin:agencies_reportingunit_add",
        "admin:accounts_user_changelist",
        "admin:accounts_user_add",
        "admin:accounts_membership_changelist",
        "admin:accounts_membership_add",
    ],
)
def test_back_office_pages_open(admin_client, name):
    assert admin_client.get(reverse(name)).status_code == 200


def test_change_pages_open(admin_client):
    agency = Agency.objects.get(slug="gaj")
    user = User.objects.get(username="gaj-clerk")
    assert (
        admin_client.get(reverse("admin:agencies_agency_change", args=[agency.pk])).status_code
        == 200
    )
    response = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert response.status_code == 200
    assert "公开专员" in response.content.decode()  # the membership inline


def test_agency_list_runs_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        admin_client.get(reverse("admin:agencies_agency_changelist"))


def test_bad_credit_code_is_refused_in_the_back_office(admin_client):
    county = Agency.objects.get(slug="county-government")
    response = admin_client.post(
        reverse("admin:agencies_agency_add"),
        {
            "name": "城口县新设局",
            "short_name": "",
            "slug": "new",
            "kind": "department",
            "credit_code": "11500229MB12345670",
            "parent": county.pk,
            "sort_order": 0,
        },
    )
    assert response.status_code == 200
    assert "校验位错误" in response.content.decode()
    assert not Agency.objects.filter(slug="new").exists()


def test_clerk_cannot_open_the_back_office(client, demo_county):
    client.force_login(User.objects.get(username="clerk"))
    response = client.get(reverse("admin:agencies_agency_changelist"))
    assert response.status_code == 302
    assert Membership.objects.filter(user__username="clerk").exists()
