from django.urls import path

from otklik.reports import board_views

app_name = "boards"

urlpatterns = [
    path("", board_views.board, name="board"),
]
