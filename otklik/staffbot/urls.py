from django.urls import path

from otklik.staffbot import views

app_name = "staffbot"
urlpatterns = [
    path("", views.bot_settings, name="settings"),
]
