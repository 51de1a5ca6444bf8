"""Error pages in the site's style and the reader's language (templates 403, 404, 500.html);
under /api/ a 404 or 500 keeps the API's JSON shape (``{"detail": …}``).

A path the API's routes do not match (``/api/v1/applications/abc``, where an id is a number)
never reaches django-ninja, so Django's own handler answers; this one answers in JSON there
and with Django's page everywhere else.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import get_language
from django.views.defaults import page_not_found


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "不存在 / not found"}, status=404)
    return page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: the site's page in the reader's language, needing no database (it may be down)."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "服务器错误 / server error"}, status=500)
    template = loader.get_template("500.html")
    english = (get_language() or "").startswith("en")
    return HttpResponseServerError(template.render({"english": english}))
