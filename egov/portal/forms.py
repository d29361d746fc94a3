from datetime import date

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.eventstore.pseudonym import keyed_hash
from egov.identity import InvalidNIK, parse_nik
from egov.portal.models import CitizenProfile

MSG_NIK_TERDAFTAR = gettext_lazy("NIK ini sudah terdaftar pada akun lain.")


class SignupForm(UserCreationForm):
    """A citizen account linked to one NIK (kept only as its keyed hash and a masked form)."""

    email = forms.EmailField(label=gettext_lazy("E-mail"))
    nik = forms.CharField(
        label="NIK", max_length=20, help_text=gettext_lazy("16 digit, sesuai Kartu Keluarga.")
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def clean_nik(self) -> str:
        try:
            nik = parse_nik(self.cleaned_data["nik"], today=date.today())  # noqa: DTZ011
        except InvalidNIK as error:
            raise forms.ValidationError(_(str(error))) from None
        if CitizenProfile.objects.filter(subject_id=keyed_hash(nik.value)).exists():
            raise forms.ValidationError(MSG_NIK_TERDAFTAR)
        return nik.value
