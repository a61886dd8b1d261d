"""Staff pages for backups and restores (permission `manage_backups`).

A backup runs in the background; its page polls a progress fragment with htmx until it has
finished. A restore is checked as soon as its archive is chosen (a stored backup or an upload),
then waits on its page for a person to type the confirmation; only then is it queued.
The rules live in truestyle.backups.services.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect

from adminpanel.backup_forms import CONFIRM_PHRASE, RestoreConfirmForm, RestoreUploadForm
from adminpanel.permissions import staff_permission_required
from adminpanel.views import post_only, staff_render
from truestyle.backups import selectors, services
from truestyle.core.errors import NotFound, StoreError

PERMISSION = "manage_backups"
TEMPLATES = "adminpanel/backups/"


def _index(request, *, upload_form=None, status: int = 200):
    context = {"backups": selectors.backups_recent(), "restores": selectors.restores_recent(),
               "upload_form": upload_form or RestoreUploadForm()}
    return staff_render(request, TEMPLATES + "index.html", context, status=status)


@staff_permission_required(PERMISSION)
def backup_list(request):
    return _index(request)


@staff_permission_required(PERMISSION)
@post_only
def backup_create(request):
    try:
        log = services.backup_start(actor=request.user)
    except StoreError as error:
        messages.error(request, error.message)
        return redirect("adminpanel:backups")
    return redirect("adminpanel:backup", backup_id=log.pk)


def _backup_or_404(backup_id):
    log = selectors.backup_get(backup_id=backup_id)
    if log is None:
        raise Http404("No such backup")
    return log


@staff_permission_required(PERMISSION)
def backup_detail(request, backup_id: str):
    """The backup's page; with htmx, only its progress fragment (polled until the backup has finished)."""
    context = {"backup": _backup_or_404(backup_id)}
    if request.htmx and not request.htmx.history_restore_request:
        return staff_render(request, TEMPLATES + "backup.html#progress", context)
    return staff_render(request, TEMPLATES + "backup.html", context)


@staff_permission_required(PERMISSION)
def backup_download(request, backup_id: str):
    try:
        stored, filename = services.backup_for_download(backup_id=_backup_or_404(backup_id).pk)
    except NotFound:
        raise Http404("No archive for this backup")
    response = FileResponse(stored, as_attachment=True, filename=filename, content_type="application/gzip")
    response["Cache-Control"] = "private, no-store"
    return response


@staff_permission_required(PERMISSION)
@post_only
def backup_restore(request, backup_id: str):
    """Check a stored backup for restoring; the restore page then asks for confirmation."""
    try:
        log = services.restore_prepare(actor=request.user, backup_id=_backup_or_404(backup_id).pk)
    except NotFound:
        raise Http404("This backup cannot be restored")
    return redirect("adminpanel:backups-restore", restore_id=log.pk)


@staff_permission_required(PERMISSION)
@post_only
def restore_upload(request):
    form = RestoreUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            log = services.restore_prepare(actor=request.user, upload=form.cleaned_data["archive"])
        except StoreError as error:
            form.add_error("archive", error.message)
        else:
            return redirect("adminpanel:backups-restore", restore_id=log.pk)
    return _index(request, upload_form=form, status=400)


def _restore_or_404(restore_id):
    log = selectors.restore_get(restore_id=restore_id)
    if log is None:
        raise Http404("No such restore")
    return log


def _restore_page(request, restore, *, form=None, status: int = 200):
    context = {"restore": restore, "form": form or RestoreConfirmForm(), "confirm_phrase": CONFIRM_PHRASE}
    if request.htmx and not request.htmx.history_restore_request and request.method == "GET":
        return staff_render(request, TEMPLATES + "restore.html#progress", context)
    return staff_render(request, TEMPLATES + "restore.html", context, status=status)


@staff_permission_required(PERMISSION)
def restore_detail(request, restore_id: str):
    return _restore_page(request, _restore_or_404(restore_id))


@staff_permission_required(PERMISSION)
@post_only
def restore_confirm(request, restore_id: str):
    restore = _restore_or_404(restore_id)
    form = RestoreConfirmForm(request.POST)
    if not form.is_valid():
        return _restore_page(request, restore, form=form, status=400)
    try:
        services.restore_confirm(actor=request.user, restore_id=restore.pk)
    except StoreError as error:
        messages.error(request, error.message)
    return redirect("adminpanel:backups-restore", restore_id=restore.pk)
