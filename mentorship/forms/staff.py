"""Forms of the staff pages: invite, change a role, and accept an invitation."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship.models import Role, User

__all__ = ["AcceptForm", "InviteForm", "RoleForm"]


def role_choices(roles: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(r, Role(r).label) for r in roles]


class InviteForm(forms.Form):
    """Whom to invite and as whom; the roles offered are those the inviter may grant."""

    email = forms.EmailField(label=gettext_lazy("Электронная почта"))
    last_name = forms.CharField(label=gettext_lazy("Фамилия"), max_length=100, required=False)
    first_name = forms.CharField(label=gettext_lazy("Имя"), max_length=100, required=False)
    patronymic = forms.CharField(label=gettext_lazy("Отчество"), max_length=100, required=False)
    position = forms.CharField(label=gettext_lazy("Должность"), max_length=200, required=False)
    role = forms.ChoiceField(label=gettext_lazy("Роль"))

    def __init__(self, *args, roles: tuple[str, ...], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(roles)
        if len(roles) == 1:
            self.fields["role"].initial = roles[0]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Роль"))

    def __init__(self, *args, roles: tuple[str, ...], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(roles)


class AcceptForm(forms.Form):
    """A new account: the name (as the inviter typed it, to correct) and a password."""

    last_name = forms.CharField(label=gettext_lazy("Фамилия"), max_length=100)
    first_name = forms.CharField(label=gettext_lazy("Имя"), max_length=100)
    patronymic = forms.CharField(label=gettext_lazy("Отчество"), max_length=100, required=False)
    position = forms.CharField(label=gettext_lazy("Должность"), max_length=200, required=False)
    password1 = forms.CharField(
        label=gettext_lazy("Пароль"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("Не короче 8 знаков, не только цифры и не похожий на имя."),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Пароль ещё раз"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Пароли не совпадают."))
        elif first:
            candidate = User(
                email=self.email,
                last_name=data.get("last_name", ""),
                first_name=data.get("first_name", ""),
            )
            try:
                validate_password(first, candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data
