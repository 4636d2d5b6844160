"""The bulk start: a municipality's list of schools with curators, from Excel to
invitations — a good file, bad rows, damaged files, the template, all or nothing."""

import io
import zipfile

import lxml.html
import pytest
from django.core import mail
from openpyxl import Workbook, load_workbook

from mentorship.models import AuditEntry, Invitation, Organization, PendingUpload, Role
from mentorship.services.bulk_start import BulkFileError, read_rows
from tests.factories import OrganizationFactory

HEADERS = [
    "Полное наименование",
    "Краткое наименование",
    "ИНН",
    "Вид",
    "Адрес",
    "Руководитель (Фамилия И.О.)",
    "Должность руководителя",
    "Куратор: фамилия, имя, отчество",
    "Куратор: должность",
    "Куратор: электронная почта",
]
# Valid INNs (check digits computed with python-stdnum).
INN = ["1650000049", "1650000024", "1650000070", "1650000056"]
GOOD_ROWS = [
    [
        "МБОУ «Средняя школа №1»",
        "СШ №1",
        INN[0],
        "школа",
        "ул. Ленина, 1",
        "Иванова А.С.",
        "Директор",
        "Петрова Мария Ивановна",
        "Заместитель директора",
        "petrova@s1.test",
    ],  # fmt: skip
    [
        "МБОУ «Гимназия №2»",
        "Гимназия №2",
        int(INN[1]),
        "",
        "",
        "Сидоров П.П.",
        "Директор",
        "Орлова Анна",
        "Учитель",
        "Orlova@S2.test",
    ],  # fmt: skip
    [
        "ГАПОУ «Колледж №3»",
        "Колледж №3",
        INN[2],
        "колледж",
        "",
        "",
        "",
        "Кузнецов Иван Петрович",
        "Методист",
        "kuznetsov@c3.test",
    ],  # fmt: skip
]


def workbook(rows, headers=HEADERS, title_rows=0) -> bytes:
    book = Workbook()
    sheet = book.active
    for _ in range(title_rows):
        sheet.append(["Список школ муниципалитета"])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name="schools.xlsx", org="muni"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(f"/o/{org}/organizations/bulk/", {"file": file})


def preview_rows(response):
    doc = lxml.html.fromstring(response.content.decode())
    return [
        (
            int(tr.get("data-row")),
            tr.get("data-status"),
            [li.text_content().strip() for li in tr.xpath('.//ul[@data-testid="row-errors"]/li')],
        )
        for tr in doc.xpath('//tr[@data-testid="row"]')
    ]


def test_a_good_list_is_previewed_then_applied_with_invitations(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.methodist)
    response = upload(client, workbook(GOOD_ROWS, title_rows=1))
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert preview_rows(preview) == [(3, "create", []), (4, "create", []), (5, "create", [])]
    html = preview.content.decode()
    assert "3 организации будут добавлены" in html and "3 приглашения кураторам" in html
    assert not Organization.objects.filter(inn__in=INN).exists() and not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(response["Location"])
    assert done.status_code == 302 and done["Location"] == "/o/muni/organizations/"
    schools = {o.inn: o for o in Organization.objects.filter(inn__in=INN)}
    assert len(schools) == 3
    assert schools[INN[0]].head_name == "Иванова А.С." and schools[INN[0]].parent == cast.muni
    assert schools[INN[1]].kind == "school" and schools[INN[2]].kind == "college"
    invitation = Invitation.objects.get(email="orlova@s2.test")
    assert (invitation.organization, invitation.role) == (schools[INN[1]], Role.CURATOR)
    assert (invitation.last_name, invitation.first_name) == ("Орлова", "Анна")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "kuznetsov@c3.test",
        "orlova@s2.test",
        "petrova@s1.test",
    ]
    entry = AuditEntry.objects.get(action="organization.bulk_start")
    assert entry.details == {"created": 3, "matched": 0, "invited": 3}
    assert not PendingUpload.objects.exists()
    message = client.get("/o/muni/organizations/").content.decode()
    assert "Добавлено 3 организации" not in message  # Russian plural: «Добавлены 3 организации»
    assert "Добавлены 3 организации, отправлено 3 приглашения." in message


def test_bad_rows_are_shown_in_russian_and_nothing_is_written(client, cast):
    OrganizationFactory(parent=cast.other_muni, inn=INN[3], short_name="Чужая школа")
    rows = [
        GOOD_ROWS[0],
        ["Школа с опечаткой в ИНН", "", "1650000040", "", "", "", "", "", "", ""],
        ["Школа-двойник", "", INN[0], "", "", "", "", "", "", ""],
        ["Непонятная", "", INN[1], "интернат", "", "", "", "Иванова Ирина", "", "не-почта"],
        ["Чужая", "", INN[3], "", "", "", "", "", "", ""],
        ["Без куратора по имени", "", INN[2], "", "", "", "", "", "", "x@x.test"],
        ["", "", "", "", "", "", "", "Петров", "", ""],
    ]
    client.force_login(cast.methodist)
    preview = client.get(upload(client, workbook(rows))["Location"])
    found = preview_rows(preview)
    assert [status for _row, status, _e in found] == ["create"] + ["error"] * 6
    errors = {row: e for row, _s, e in found}
    assert errors[3] == ["Контрольные цифры ИНН не сходятся: проверьте, нет ли опечатки."]
    assert errors[4] == ["ИНН повторяется: он уже есть в строке 2."]
    assert errors[5][0].startswith("Неизвестный вид «интернат»")
    assert errors[5][1] == "Неправильный адрес электронной почты куратора: не-почта."
    assert errors[6] == ["ИНН принадлежит организации «Чужая школа», которая не входит в Город А."]
    assert errors[7] == ["Не указаны фамилия и имя куратора."]
    assert "Не указано полное наименование." in errors[8] and "Не указан ИНН." in errors[8]
    assert 'data-testid="confirm" disabled' in preview.content.decode()
    confirm = client.post(preview.request["PATH_INFO"])
    assert confirm.status_code == 400
    assert not Organization.objects.filter(inn__in=INN[:3]).exists()
    assert not Invitation.objects.exists() and not mail.outbox


def test_a_school_already_in_the_municipality_is_matched_by_inn(client, cast):
    cast.school.inn = INN[0]
    cast.school.save()
    rows = [
        [*GOOD_ROWS[0][:7], "Другой Куратор", "", "curator@a1.test"],
        [*GOOD_ROWS[1][:7], "Новая Кураторша", "", "new@a2.test"],
    ]
    rows[1][2] = INN[1]
    client.force_login(cast.methodist)
    location = upload(client, workbook(rows))["Location"]
    preview = client.get(location)
    assert [s for _r, s, _e in preview_rows(preview)] == ["match", "create"]
    assert "Этот куратор уже работает в школе." in preview.content.decode()
    client.post(location)
    cast.school.refresh_from_db()
    assert cast.school.short_name == "Школа А1"  # matched schools are not changed
    assert list(Invitation.objects.values_list("email", flat=True)) == ["new@a2.test"]


def test_the_confirmation_checks_again_all_or_nothing(client, cast):
    client.force_login(cast.methodist)
    location = upload(client, workbook(GOOD_ROWS))["Location"]
    # Meanwhile another municipality registers the third school's INN.
    OrganizationFactory(parent=cast.other_muni, inn=INN[2])
    response = client.post(location)
    assert response.status_code == 400
    assert [s for _r, s, _e in preview_rows(response)] == ["create", "create", "error"]
    assert not Organization.objects.filter(inn__in=INN[:2]).exists()
    assert not Invitation.objects.exists()


def test_the_bulk_start_is_throttled_as_a_whole(client, cast, settings):
    settings.INVITATIONS_PER_HOUR = 2
    client.force_login(cast.methodist)
    location = upload(client, workbook(GOOD_ROWS))["Location"]
    response = client.post(location)
    assert response.status_code == 429
    assert "Слишком много приглашений" in response.content.decode()
    assert not Organization.objects.filter(inn__in=INN).exists()


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _flipped(data: bytes) -> bytes:
    """The sheet's compressed bytes damaged: the archive opens, the member does not inflate."""
    source = zipfile.ZipFile(io.BytesIO(data))
    info = source.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 5
    damaged = bytearray(data)
    for i in range(start, start + 20):
        damaged[i] ^= 0xFF
    return bytes(damaged)


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (120 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda good: b"not a workbook at all", "Загрузите таблицу Excel"),
        (lambda good: b"PK\x03\x04garbage" * 10, "Файл повреждён"),
        (_truncated, "Файл повреждён"),
        (_flipped, "Файл повреждён"),
        (lambda good: _bomb(), "слишком велик после распаковки"),
        (
            lambda good: workbook(GOOD_ROWS, headers=["Школа", "Номер"]),
            "Не найдена строка заголовков",
        ),
        (lambda good: workbook([]), "нет ни одной строки"),
    ],
    ids=["text", "junk-zip", "truncated", "flipped-bytes", "bomb", "no-header", "empty"],
)
def test_a_damaged_or_unsuitable_file_is_a_russian_message(client, cast, make, message):
    client.force_login(cast.methodist)
    response = upload(client, make(workbook(GOOD_ROWS)))
    assert response.status_code == 400
    doc = lxml.html.fromstring(response.content.decode())
    assert message in doc.xpath('//div[@data-testid="file-error"]')[0].text_content()
    assert not PendingUpload.objects.exists()


def test_the_template_downloads_and_reads_back(client, cast):
    client.force_login(cast.methodist)
    response = client.get("/o/muni/organizations/bulk/template/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bulk-start-schools.xlsx"'
    with pytest.raises(BulkFileError, match="нет ни одной строки"):
        read_rows(response.content)
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]] == HEADERS
    sheet = book.worksheets[0]
    sheet.append(GOOD_ROWS[0])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = read_rows(buffer.getvalue())
    assert rows[0]["inn"] == INN[0] and rows[0]["curator_email"] == "petrova@s1.test"


def test_a_preview_is_its_uploaders_only(client, cast):
    client.force_login(cast.methodist)
    location = upload(client, workbook(GOOD_ROWS))["Location"]
    colleague = cast.department
    from mentorship.models import Membership

    Membership.objects.create(user=colleague, organization=cast.muni, role=Role.METHODIST)
    client.force_login(colleague)
    assert client.get(location).status_code == 404
    assert client.post(location).status_code == 404
    client.force_login(cast.other_methodist)
    assert client.get(location.replace("/o/muni/", "/o/muni-b/")).status_code == 404


def test_only_the_methodist_of_the_municipality_uploads(client, cast):
    for user, slug, code in [
        (cast.department, "muni", 403),
        (cast.regional, "muni", 403),
        (cast.regional, "region", 404),
        (cast.curator, "school-a1", 404),
    ]:
        client.force_login(user)
        assert client.get(f"/o/{slug}/organizations/bulk/").status_code == code
        assert client.get(f"/o/{slug}/organizations/bulk/template/").status_code == code


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "Добавлена 1 организация, отправлено 1 приглашение."),
        (2, "Добавлены 2 организации, отправлено 2 приглашения."),
        (5, "Добавлено 5 организаций, отправлено 5 приглашений."),
        (21, "Добавлена 21 организация, отправлено 21 приглашение."),
    ],
)
def test_the_result_is_counted_in_russian(n, expected):
    from django.utils import translation

    from mentorship.services.bulk_start import BulkStartResult
    from mentorship.views.bulk_start import _done_message, _summary

    with translation.override("ru"):
        assert _done_message(BulkStartResult(created=n, matched=0, invited=n)) == expected
        rows = [{"action": "create", "invite": True, "errors": []}] * n
        assert _summary(rows)[0].startswith(
            {
                1: "1 организация будет",
                2: "2 организации будут",
                5: "5 организаций будут",
                21: "21 организация будет",
            }[n]
        )


def test_unconfirmed_previews_of_every_organisation_go_after_an_hour(client, cast):
    from datetime import timedelta

    from django.utils import timezone

    from mentorship.tenancy.scoping import unscoped_reads

    client.force_login(cast.methodist)
    upload(client, workbook(GOOD_ROWS))
    client.force_login(cast.other_methodist)
    location = upload(client, workbook(GOOD_ROWS), org="muni-b")["Location"]
    with unscoped_reads():
        PendingUpload.objects.update(created_at=timezone.now() - timedelta(hours=2))
        assert PendingUpload.objects.count() == 2
    other = upload(client, workbook(GOOD_ROWS), org="muni-b")
    with unscoped_reads():
        assert list(PendingUpload.objects.values_list("organization__slug", flat=True)) == [
            "muni-b"
        ]
    assert other.status_code == 302 and location != other["Location"]
