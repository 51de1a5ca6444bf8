from django.urls import path

from gongkai.normative import views

app_name = "normative"

urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.draft, name="draft"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/steps/<str:name>/", views.take_step, name="step"),
    path("in-force/", views.in_force_list, name="in_force"),
    path("cleanups/", views.campaigns, name="campaigns"),
    path("cleanups/<int:pk>/", views.campaign_detail, name="campaign"),
    path("figures/", views.figures_page, name="figures"),
    path("figures/template.xlsx", views.figures_template, name="figures_template"),
]
