from django.urls import path

from otklik.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.mailbox, name="mailbox"),
    path("<int:pk>/", views.mail_detail, name="mail"),
    path("inbox/", views.inbox, name="inbox"),
    path("sent/", views.sent, name="sent"),
    path("sent/<int:pk>/", views.sent_detail, name="sent-detail"),
]
