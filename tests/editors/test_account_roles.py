"""Accounts and roles in the back-office: the role on `Editor` is the one source
of rights; removing it removes every right, at once, everywhere."""

import pytest
from django.contrib.auth import get_user_model

from sommaire.catalog.models import Resource
from sommaire.editors import permissions
from sommaire.editors.models import ApiToken, Editor
from tests.api.conftest import bearer
from tests.api.test_resource_create import URL, payload
from tests.editors.backoffice import ADMIN, client_for
from tests.personas import PASSWORD, make_editor

USERS = f"{ADMIN}auth/user/"


def inline_data(user, role: str, delete: bool) -> dict:
    """The account's change form as posted, with the role inline kept or deleted.

    The staff and superuser boxes are posted as a browser holding an older
    form would post them: ticked, as they were.
    """
    editor = user.editor
    data = {
        "is_staff": "on",
        "is_superuser": "on",
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%d/%m/%Y"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "editor-TOTAL_FORMS": "1",
        "editor-INITIAL_FORMS": "1",
        "editor-MIN_NUM_FORMS": "0",
        "editor-MAX_NUM_FORMS": "1",
        "editor-0-id": str(editor.pk),
        "editor-0-user": str(user.pk),
        "editor-0-role": role,
    }
    if delete:
        data["editor-0-DELETE"] = "on"
    return data


@pytest.fixture
def second_admin(segur):
    return make_editor("bruno", "admin", first_name="Bruno")


def test_removing_an_administrators_role_removes_their_rights(administrator, second_admin):
    token = ApiToken.issue(second_admin)[1]
    session = client_for(second_admin)

    response = client_for(administrator).post(
        f"{USERS}{second_admin.pk}/change/", inline_data(second_admin, "admin", delete=True)
    )

    assert response.status_code == 302, response.context["errors"]
    assert not Editor.objects.filter(user=second_admin).exists()
    user = get_user_model().objects.get(pk=second_admin.pk)
    assert not user.is_superuser and not user.is_staff
    assert permissions.role_of(user) is None
    # Still signed in, no longer an administrator: the admin refuses them.
    assert session.get(USERS).status_code == 403
    assert session.get(f"{ADMIN}catalog/resource/").status_code == 403
    national = Resource.objects.filter(region=None).first()
    written = bearer(token).post(URL, payload(region=None), content_type="application/json")
    assert written.status_code == 403
    assert not Resource.objects.filter(key="webinaire-ins-occitanie").exists()
    assert Resource.objects.get(pk=national.pk).title == national.title


def test_a_bulk_deleted_role_removes_the_rights_too(second_admin):
    Editor.objects.filter(user=second_admin).delete()

    user = get_user_model().objects.get(pk=second_admin.pk)
    assert (user.is_staff, user.is_superuser) == (False, False)


def test_demoting_an_administrator_to_national_editor_removes_the_accounts_screen(
    administrator, second_admin
):
    client_for(administrator).post(
        f"{USERS}{second_admin.pk}/change/", inline_data(second_admin, "national", delete=False)
    )

    user = get_user_model().objects.get(pk=second_admin.pk)
    assert permissions.role_of(user) == "national" and not user.is_superuser
    assert client_for(user).get(USERS).status_code == 403


def test_a_superuser_flag_without_a_role_grants_nothing(segur):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "x" * 20)

    assert permissions.role_of(user) is None
    assert client_for(user).get(USERS).status_code == 403
    assert client_for(user).get(f"{ADMIN}catalog/resource/").status_code == 403


def test_the_account_form_offers_no_second_table_of_rights(administrator, remi):
    page = client_for(administrator).get(f"{USERS}{remi.pk}/change/").content.decode()

    for name in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{name}"' not in page
    assert 'name="editor-0-role"' in page
    assert client_for(administrator).get(f"{ADMIN}auth/group/").status_code == 404


@pytest.mark.parametrize("weak", [" " * 14, "aaaaaaaaaaaaaa"])
def test_the_password_form_refuses_a_password_without_variety(administrator, remi, weak):
    response = client_for(administrator).post(
        f"{USERS}{remi.pk}/password/", {"password1": weak, "password2": weak}
    )

    assert response.status_code == 200
    assert "choisissez une phrase" in response.content.decode()
    assert get_user_model().objects.get(pk=remi.pk).check_password(PASSWORD)
