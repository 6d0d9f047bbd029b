from django.urls import path

from otklik.moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("comments/<int:pk>/decide/", views.decide, name="decide"),
    path("log/", views.log, name="log"),
    path("log/<int:pk>/undo/", views.undo, name="undo"),
    path("bans/", views.bans, name="bans"),
    path("bans/<int:pk>/lift/", views.lift, name="lift"),
    path("pages/", views.rule_pages, name="pages"),
    path("pages/<int:pk>/rules/", views.rules, name="rules"),
]
