from django.contrib.auth import views as auth_views
from django.urls import path

from egov.portal import api_access, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("daftar/", views.signup, name="signup"),
    path("masuk/", auth_views.LoginView.as_view(template_name="portal/login.html"), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akses-api/", api_access.akses_api, name="akses_api"),
    path("akses-api/<int:token_id>/cabut/", api_access.akses_api_cabut, name="akses_api_cabut"),
]
