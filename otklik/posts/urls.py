from django.urls import path

from otklik.posts import views

app_name = "posts"

urlpatterns = [
    path("", views.post_list, name="list"),
    path("new/", views.post_new, name="new"),
    path("check/", views.post_check, name="check"),
    path("calendar/", views.post_calendar, name="calendar"),
    path("cadence/", views.post_cadence, name="cadence"),
    path("<int:pk>/", views.post_detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views.post_act, name="act"),
]
