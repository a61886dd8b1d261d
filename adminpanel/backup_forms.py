"""Forms of the staff backup pages."""

from django import forms

CONFIRM_PHRASE = "RESTORE"


class RestoreUploadForm(forms.Form):
    archive = forms.FileField(
        label="Backup archive", widget=forms.ClearableFileInput(attrs={"accept": ".tar.gz,.tgz,application/gzip"}),
        error_messages={"required": "Choose a backup archive (.tar.gz) to upload.",
                        "empty": "The file is empty: choose a backup archive."})


class RestoreConfirmForm(forms.Form):
    confirm_phrase = forms.CharField(
        label=f"Type {CONFIRM_PHRASE} to replace the store's data", max_length=20,
        error_messages={"required": f"Type {CONFIRM_PHRASE} to confirm."})

    def clean_confirm_phrase(self):
        phrase = self.cleaned_data["confirm_phrase"].strip()
        if phrase != CONFIRM_PHRASE:
            raise forms.ValidationError(f"Type {CONFIRM_PHRASE} in capitals to confirm.")
        return phrase
