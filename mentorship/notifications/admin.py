from django.contrib import admin

from mentorship.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "organization", "title", "read_at"]
    list_select_related = ["user", "organization"]
    search_fields = ["user__email", "title"]
    raw_id_fields = ["user", "organization"]
