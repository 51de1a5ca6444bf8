from django.urls import path

from gongkai.mailbox import views_public, views_staff

app_name = "mailbox"

urlpatterns = [
    # Public (no account): write, follow with the 查询码, read published letters and figures.
    path("mailbox/", views_public.mailboxes, name="mailboxes"),
    path("mailbox/done/", views_public.done, name="done"),
    path("mailbox/status/", views_public.status_lookup, name="status_lookup"),
    path("mailbox/status/<str:code>/", views_public.status, name="status"),
    path("mailbox/letters/", views_public.published, name="published"),
    path("mailbox/letters/<int:pk>/", views_public.published_letter, name="published_letter"),
    path("mailbox/<slug:slug>/write/", views_public.write, name="write"),
    path("mailbox/<slug:slug>/stats/", views_public.stats, name="stats"),
    # The workbench.
    path("staff/mailbox/", views_staff.queue, name="queue"),
    path("staff/mailbox/<int:pk>/", views_staff.detail, name="letter"),
    path(
        "staff/mailbox/<int:pk>/to-application/",
        views_staff.to_application,
        name="to_application",
    ),
    path("staff/mailbox/<int:pk>/<str:action>/", views_staff.act, name="act"),
]
