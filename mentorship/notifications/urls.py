from django.urls import path

from mentorship.notifications import views

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("read-all/", views.notifications_mark_all_read, name="notifications_mark_all_read"),
]
