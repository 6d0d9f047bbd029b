from django.urls import path

from otklik.pages import views

app_name = "pages"

urlpatterns = [
    path("", views.page_list, name="list"),
    path("<int:pk>/check/", views.page_check_now, name="check"),
    path("<int:pk>/", views.page_vault, name="vault"),
    path("<int:pk>/reveal/", views.page_reveal, name="reveal"),
    path("<int:pk>/change/", views.page_secret_change, name="change"),
    path("<int:pk>/rotate/", views.page_secret_rotate, name="rotate"),
]
