from django.urls import path

from adminpanel import backups

urlpatterns = [
    path("", backups.backup_list, name="backups"),
    path("start/", backups.backup_create, name="backup-start"),
    path("restores/upload/", backups.restore_upload, name="backups-restore-upload"),
    path("restores/<str:restore_id>/", backups.restore_detail, name="backups-restore"),
    path("restores/<str:restore_id>/confirm/", backups.restore_confirm, name="backups-restore-confirm"),
    path("<str:backup_id>/", backups.backup_detail, name="backup"),
    path("<str:backup_id>/download/", backups.backup_download, name="backup-download"),
    path("<str:backup_id>/restore/", backups.backup_restore, name="backup-restore"),
]
