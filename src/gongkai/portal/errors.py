"""Error pages: under /api/ a 404 keeps the API's JSON shape (``{"detail": …}``).

A path the API's routes do not match (``/api/v1/applications/abc``, where an id is a number)
never reaches django-ninja, so Django's own handler answers; this one answers in JSON there
and with Django's page everywhere else.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "不存在 / not found"}, status=404)
    return page_not_found(request, exception)
