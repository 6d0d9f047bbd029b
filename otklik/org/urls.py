from django.urls import path

from otklik.org import views

app_name = "org"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
]
