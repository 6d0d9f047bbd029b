from django.urls import path

from otklik.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.issue_list, name="list"),
    path("<int:pk>/", views.issue_detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views.issue_act, name="act"),
    path("<int:pk>/download/<str:fmt>/", views.issue_download, name="download"),
]
