"""Letters of an application: HTML preview, DOCX download and PDF (where a CJK font exists).

A letter names the applicant, so only those who may see the applicant's data open it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse

from gongkai.applications.selectors import may_see_personal_data, reveal_personal_data
from gongkai.applications.services import compose_for, letter_pdf
from gongkai.applications.views.access import get_visible
from gongkai.letters.html import render_html
from gongkai.letters.model import LetterRenderError
from gongkai.letters.models import IssuedLetter

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _letter(request, pk: int, letter_pk: int) -> IssuedLetter:
    application = get_visible(request.user, pk)
    if not may_see_personal_data(request.user, application):
        raise PermissionDenied(
            "您无权查看该申请的文书 / you may not see this application's letters"
        )
    letter = application.letters.filter(pk=letter_pk).first()
    if letter is None:
        raise Http404("没有该文书 / no such letter")
    reveal_personal_data(request.user, application, what=f"letter:{letter.pk}")
    letter.application = application
    return letter


@login_required
def preview(request: HttpRequest, pk: int, letter_pk: int) -> HttpResponse:
    letter = _letter(request, pk, letter_pk)
    composed = compose_for(
        letter.application,
        letter.key,
        letter.context,
        issued_on=letter.issued_on,
        doc_number=letter.number,
    )
    nonce = request.csp_nonce  # gongkai.portal.headers
    response = HttpResponse(render_html(composed, nonce=nonce))
    # Stricter than the site's policy: a letter is a document, with no script at all.
    response["Content-Security-Policy"] = (
        f"default-src 'none'; style-src 'nonce-{nonce}'; font-src 'self'; frame-ancestors 'none'"
    )
    return response


@login_required
def docx(request: HttpRequest, pk: int, letter_pk: int) -> FileResponse:
    letter = _letter(request, pk, letter_pk)
    return FileResponse(
        letter.docx.open("rb"),
        as_attachment=True,
        filename=f"{letter.title}.docx",
        content_type=DOCX_TYPE,
    )


@login_required
def pdf(request: HttpRequest, pk: int, letter_pk: int) -> HttpResponse:
    letter = _letter(request, pk, letter_pk)
    try:
        content = letter_pdf(letter=letter)
    except LetterRenderError as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(letter.title)}.pdf"
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)
