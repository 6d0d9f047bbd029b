from django.urls import path

from otklik.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views.act, name="act"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/files/<int:aid>/", views.attachment, name="attachment"),
]
