from django.urls import path

from otklik.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.home, name="home"),
    path("erase/", views.erase, name="erase"),
    path("export/", views.export, name="export"),
    path("erasures/<int:pk>/", views.erasure_detail, name="erasure"),
    path("log/", views.log, name="log"),
]
