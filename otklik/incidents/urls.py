from django.urls import path

from otklik.incidents import queue_views, template_views, views

app_name = "incidents"

urlpatterns = [
    path("", queue_views.queue, name="queue"),
    path("all/", queue_views.all_messages, name="all"),
    path("templates/", template_views.templates, name="templates"),
    path("templates/<int:pk>/", template_views.template_edit, name="template"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views.act, name="act"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/publication/", views.publication, name="publication"),
    path("<int:pk>/files/<int:aid>/", views.attachment, name="attachment"),
]
