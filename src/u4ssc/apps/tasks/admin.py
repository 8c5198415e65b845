from django.contrib import admin

from u4ssc.apps.tasks.models import Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "name", "state", "progress", "created_by", "created_at"]
    list_filter = ["state", "name"]
    readonly_fields = [f.name for f in Task._meta.fields]
