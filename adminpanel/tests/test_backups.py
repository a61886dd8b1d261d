"""The staff backup pages: back up, follow the progress, download, restore (stored or uploaded) with a confirmation."""

import io
import zipfile

from django.test import Client

from truestyle.backups import archive
from truestyle.backups.models import BackupLog, RestoreLog
from truestyle.backups.tests.helpers import administrator_create
from truestyle.contact.models import ContactMessage


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _backed_up_store():
    admin = administrator_create()
    ContactMessage.objects.create(name="Ravi", email="ravi@example.com", subject="Sizes", message="Which size?")
    client = _client(admin)
    response = client.post("/staff/backups/start/")
    backup = BackupLog.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/backups/{backup.pk}/"
    return admin, client, backup


def test_back_up_now_runs_a_backup_and_lists_it_with_its_size(db):
    admin, client, backup = _backed_up_store()
    assert (backup.status, backup.progress, backup.actor_email) == ("succeeded", 100, "admin@example.com")

    page = client.get(f"/staff/backups/{backup.pk}/").content.decode()
    assert 'id="backup-progress-bar" max="100" value="100"' in page
    assert f"hx-get=\"/staff/backups/{backup.pk}/\"" not in page  # a finished backup is not polled
    fragment = client.get(f"/staff/backups/{backup.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section id="backup-progress"') and "<html" not in fragment
    listing = client.get("/staff/backups/").content.decode()
    assert f'data-backup="{backup.pk}"' in listing and "Succeeded" in listing
    assert "1 table row" in listing or f"{backup.rows_count} table rows" in listing


def test_a_running_backup_page_polls_its_progress(db):
    admin = administrator_create()
    backup = BackupLog.objects.create(status="running", progress=42, step="Collection orders")

    page = _client(admin).get(f"/staff/backups/{backup.pk}/").content.decode()

    assert f'hx-get="/staff/backups/{backup.pk}/" hx-trigger="every 1s"' in page
    assert 'value="42"' in page and "Collection orders" in page


def test_download_gives_the_stored_archive(db):
    admin, client, backup = _backed_up_store()

    response = client.get(f"/staff/backups/{backup.pk}/download/")

    assert response.status_code == 200 and response["Content-Type"] == "application/gzip"
    assert response["Content-Disposition"].startswith('attachment; filename="truestyle-backup-')
    assert b"".join(response.streaming_content) == archive.archive_storage().open(backup.archive).read()
    assert client.get("/staff/backups/0123456789abcdef01234567/download/").status_code == 404


def test_restore_of_a_stored_backup_waits_for_the_typed_confirmation(db):
    admin, client, backup = _backed_up_store()
    ContactMessage.objects.create(name="Later", email="later@example.com", subject="After", message="Made later.")

    response = client.post(f"/staff/backups/{backup.pk}/restore/")
    restore = RestoreLog.objects.get()
    assert response["Location"] == f"/staff/backups/restores/{restore.pk}/"
    assert "The archive passed every check" in client.get(response["Location"]).content.decode()
    assert ContactMessage.objects.count() == 2

    refused = client.post(f"/staff/backups/restores/{restore.pk}/confirm/", {"confirm_phrase": "restore"})
    assert refused.status_code == 400 and "Type RESTORE in capitals to confirm." in refused.content.decode()
    assert (RestoreLog.objects.get().status, ContactMessage.objects.count()) == ("awaiting", 2)

    done = client.post(f"/staff/backups/restores/{restore.pk}/confirm/", {"confirm_phrase": "RESTORE"})
    assert done["Location"] == f"/staff/backups/restores/{restore.pk}/"
    restore.refresh_from_db()
    assert (restore.status, restore.progress, restore.source, restore.backup_id) == ("succeeded", 100, "backup",
                                                                                     str(backup.pk))
    assert list(ContactMessage.objects.values_list("name", flat=True)) == ["Ravi"]
    assert "Restored in" in client.get(done["Location"]).content.decode()


def test_an_uploaded_foreign_archive_is_refused_and_cannot_be_confirmed(db):
    admin, client, backup = _backed_up_store()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as photos:
        photos.writestr("summer.jpg", b"\xff\xd8\xff")
    buffer.name = "photos.zip"
    buffer.seek(0)

    response = client.post("/staff/backups/restores/upload/", {"archive": buffer})
    assert response.status_code == 302, response.content.decode()[-3000:]

    restore = RestoreLog.objects.get()
    assert (restore.status, restore.source, restore.filename) == ("refused", "upload", "photos.zip")
    page = client.get(response["Location"]).content.decode()
    assert "This archive cannot be restored; nothing was changed." in page
    assert "not a readable tar.gz file" in page
    confirm = client.post(f"/staff/backups/restores/{restore.pk}/confirm/", {"confirm_phrase": "RESTORE"},
                          follow=True)
    assert "This restore is not waiting for confirmation." in confirm.content.decode()
    assert RestoreLog.objects.get().status == "refused" and ContactMessage.objects.count() == 1


def test_an_upload_without_a_file_is_a_form_error(db):
    admin = administrator_create()

    response = _client(admin).post("/staff/backups/restores/upload/", {})

    assert response.status_code == 400
    assert "Choose a backup archive (.tar.gz) to upload." in response.content.decode()
    assert RestoreLog.objects.count() == 0


def test_staff_without_the_permission_are_refused(db):
    from django.contrib.auth.models import Group

    from truestyle.accounts.tests.factories import user_create

    manager = user_create(email="orders@example.com")
    manager.groups.add(Group.objects.get(name="order_manager"))
    client = _client(manager)

    assert client.post("/staff/backups/start/").status_code == 403
    assert client.get("/staff/backups/").status_code == 403
    assert BackupLog.objects.count() == 0
