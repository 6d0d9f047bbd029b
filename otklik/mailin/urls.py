from django.urls import path

from otklik.mailin import views

app_name = "mailin"
urlpatterns = [
    path("<int:pk>/", views.held, name="held"),
]
