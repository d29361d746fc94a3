from datetime import date

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.identity import InvalidNIK, parse_nik


class SignupForm(UserCreationForm):
    """A citizen account claiming one NIK (kept only as its keyed hash and a masked form).
    The claim is unverified until Dukcapil confirms it; another account's claim to the same
    NIK is no reason to refuse (a false claim must never lock the real owner out)."""

    email = forms.EmailField(label=gettext_lazy("E-mail"))
    nik = forms.CharField(
        label="NIK", max_length=20, help_text=gettext_lazy("16 digit, sesuai Kartu Keluarga.")
    )

    nik_warnings: tuple[str, ...] = ()  # the NIK's region warnings, set by clean_nik

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def clean_nik(self) -> str:
        try:
            nik = parse_nik(self.cleaned_data["nik"], today=date.today())  # noqa: DTZ011
        except InvalidNIK as error:
            raise forms.ValidationError(_(str(error))) from None
        # An unknown region code is no ground to refuse (the table changes; Dukcapil decides):
        # the person is only told, translated, after signing up.
        self.nik_warnings = tuple(_(w.message).format(kode=w.kode) for w in nik.warnings)
        return nik.value
