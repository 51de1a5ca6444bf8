"""Refuse ids no database row can have, before a view turns them into a 500.

``<int:pk>`` matches any number of digits, but SQLite and PostgreSQL keep signed 64-bit
integers: a larger id makes SQLite raise OverflowError and PostgreSQL a DataError. No row has
such an id, so the answer is the ordinary 404 (the API's JSON shape under /api/).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse

__all__ = ["LARGEST_ID", "OversizedIdMiddleware"]

LARGEST_ID = 2**63 - 1


class OversizedIdMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        values = [*view_args, *view_kwargs.values()]
        if not any(isinstance(v, int) and not -LARGEST_ID <= v <= LARGEST_ID for v in values):
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": "不存在 / not found"}, status=404)
        raise Http404("不存在 / not found")
