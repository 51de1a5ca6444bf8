from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, gettext_noop

DEFAULT_SITE_NAME = gettext_noop("政府信息公开平台")


def county_name() -> str:
    """Return the name of the root government agency (e.g. 城口县人民政府), or ``""``."""
    from gongkai.agencies.models import Agency

    root = (
        Agency.objects.filter(parent__isnull=True, kind=Agency.Kind.COUNTY_GOVERNMENT)
        .values_list("name", flat=True)
        .first()
    )
    return root or ""


def site_name(county: str | None = None) -> str:
    """Return the site's name: GONGKAI_SITE_NAME, else 「<county> 政府信息公开」.

    Pass ``county`` when the page already has :func:`county_name` (saves its query).
    """
    configured = getattr(settings, "GONGKAI_SITE_NAME", "")
    if configured:
        return configured
    county = county_name() if county is None else county
    return f"{county} {gettext('政府信息公开')}" if county else gettext(DEFAULT_SITE_NAME)


def site(request: HttpRequest) -> dict:
    """Values every page needs. Lazy: a page that never shows the name runs no query."""
    # Not "site_name": Django's auth views put the request host under that name.
    return {"portal_name": SimpleLazyObject(site_name)}
