from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """Values every page needs (the site name; later the county's own name)."""
    return {"site_name": getattr(settings, "GONGKAI_SITE_NAME", "政府信息公开平台")}
