from django.contrib.auth import views as auth_views
from django.urls import path

from gongkai.accounts import views
from gongkai.accounts.throttle import ThrottledAuthenticationForm

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", authentication_form=ThrottledAuthenticationForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Two-factor login (gongkai.accounts.second_factor).
    path("2fa/", views.verify, name="otp_verify"),
    path("2fa/setup/", views.setup, name="otp_setup"),
    path("2fa/recovery/", views.recovery, name="otp_recovery"),
]
