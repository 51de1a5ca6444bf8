from django.urls import path

from gongkai.applications.views import extras, letters, public, staff, status, supervision

app_name = "applications"

urlpatterns = [
    # Public (no account): 在线申请 and 查询.
    path("apply/", public.apply, name="apply"),
    path("apply/done/", public.apply_done, name="apply_done"),
    # 查询: the code is posted (or carried once by a receipt's link) and kept in the session.
    path("apply/status/", status.status_lookup, name="status_lookup"),
    path("apply/status/view/", status.status, name="status_page"),
    path("apply/status/reply.pdf", status.status_letter_pdf, name="status_letter_pdf"),
    path("apply/status/reply.docx", status.status_letter, name="status_letter"),
    path("apply/status/supplement/", status.status_supplement, name="status_supplement"),
    path("apply/status/<str:code>/", status.status_by_link, name="status"),
    path(
        "apply/status/<str:code>/reply.docx",
        status.status_letter_by_link,
        name="status_letter_by_link",
    ),
    # The workbench (staff).
    path("staff/applications/", staff.queue, name="queue"),
    path("staff/applications/register/", staff.register, name="register"),
    path("staff/applications/export.xlsx", staff.queue_export, name="queue_export"),
    path("staff/applications/approvals/", staff.approvals, name="approvals"),
    path("staff/applications/overview/", supervision.supervision, name="supervision"),
    path("staff/applications/<int:pk>/urge/", supervision.urge_view, name="urge"),
    path("staff/applications/<int:pk>/", staff.detail, name="detail"),
    path("staff/applications/<int:pk>/actions/<str:action>/", staff.act, name="act"),
    path("staff/applications/<int:pk>/handler/", extras.assign, name="assign"),
    path("staff/applications/<int:pk>/receipt/", extras.receipt, name="receipt"),
    path(
        "staff/applications/<int:pk>/attachments/<int:attachment_pk>/",
        staff.attachment,
        name="attachment",
    ),
    path("staff/applications/<int:pk>/letters/<int:letter_pk>/", letters.preview, name="letter"),
    path(
        "staff/applications/<int:pk>/letters/<int:letter_pk>/docx/",
        letters.docx,
        name="letter_docx",
    ),
    path(
        "staff/applications/<int:pk>/letters/<int:letter_pk>/pdf/",
        letters.pdf,
        name="letter_pdf",
    ),
]
