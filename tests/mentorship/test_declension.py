"""Names in the case an order needs (mentorship/declension.py, over pytrovich)."""

import pytest

from mentorship.declension import (
    Case,
    Gender,
    PersonName,
    decline,
    detect_gender,
    full_name,
    salutation,
    short_name,
)


@pytest.mark.parametrize(
    ("name", "case", "expected"),
    [
        # Female and male, the orders' own examples.
        ("Иванова Мария Петровна", Case.ACCUSATIVE, "Иванову Марию Петровну"),
        ("Петров Иван Сергеевич", Case.ACCUSATIVE, "Петрова Ивана Сергеевича"),
        ("Петров Иван Сергеевич", Case.DATIVE, "Петрову Ивану Сергеевичу"),
        ("Иванова Мария Петровна", Case.DATIVE, "Ивановой Марии Петровне"),
        ("Петров Иван Сергеевич", Case.INSTRUMENTAL, "Петровым Иваном Сергеевичем"),
        ("Иванова Мария Петровна", Case.GENITIVE, "Ивановой Марии Петровны"),
        # Double (hyphenated) surnames: each part declines.
        ("Римская-Корсакова Анна Павловна", Case.ACCUSATIVE, "Римскую-Корсакову Анну Павловну"),
        ("Салтыков-Щедрин Михаил Евграфович", Case.DATIVE, "Салтыкову-Щедрину Михаилу Евграфовичу"),
        # Surnames that do not decline.
        ("Дурново Пётр Николаевич", Case.ACCUSATIVE, "Дурново Петра Николаевича"),
        ("Черных Ольга Ивановна", Case.DATIVE, "Черных Ольге Ивановне"),
        ("Черных Олег Иванович", Case.ACCUSATIVE, "Черных Олега Ивановича"),
        ("Лещенко Ольга Юрьевна", Case.ACCUSATIVE, "Лещенко Ольгу Юрьевну"),
        # -ук: a woman's does not decline, a man's does.
        ("Шевчук Ирина Олеговна", Case.ACCUSATIVE, "Шевчук Ирину Олеговну"),
        ("Шевчук Тарас Олегович", Case.ACCUSATIVE, "Шевчука Тараса Олеговича"),
        # Nominative is the name as written; Ё kept.
        ("Семёнова Алёна Петровна", Case.NOMINATIVE, "Семёнова Алёна Петровна"),
    ],
)
def test_full_name_in_case(name, case, expected):
    assert full_name(name, case) == expected


def test_gender_comes_from_the_patronymic_first():
    assert detect_gender(PersonName("Черных", "Саша", "Ивановна")) is Gender.FEMALE
    assert detect_gender(PersonName("Черных", "Саша", "Иванович")) is Gender.MALE
    assert detect_gender(PersonName("Мамедов", "Эльдар", "Ильхам оглы")) is Gender.MALE
    # Nothing to tell by: the surname alone that is the same for both.
    assert detect_gender(PersonName("Черных")) is Gender.UNKNOWN


def test_an_explicit_gender_overrides_the_detected_one():
    name = PersonName("Шевчук", "Саша")
    assert decline(name, Case.DATIVE, Gender.FEMALE).last == "Шевчук"
    assert decline(name, Case.DATIVE, Gender.MALE).last == "Шевчуку"


def test_initials_stay_and_only_the_surname_declines():
    assert PersonName.parse("Петров И. С.") == PersonName("Петров", "И.С.", "")
    assert full_name("Петров И.С.", Case.DATIVE) == "Петрову И.С."
    assert short_name("Иванова Мария Петровна", Case.DATIVE) == "Ивановой М.П."
    assert short_name("Римская-Корсакова Анна Павловна", Case.DATIVE) == "Римской-Корсаковой А.П."


def test_parse_splits_three_parts_and_tolerates_spaces():
    assert PersonName.parse("  Иванова   Мария  Петровна ") == PersonName(
        "Иванова", "Мария", "Петровна"
    )
    assert PersonName.parse("Мамедов Эльдар Ильхам оглы").middle == "Ильхам оглы"
    assert PersonName.parse("") == PersonName("")
    assert full_name("", Case.DATIVE) == ""


def test_salutation_is_gendered_and_never_addresses_initials():
    assert salutation("Петров Иван Сергеевич") == "Уважаемый Иван Сергеевич!"
    assert salutation("Иванова Мария Петровна") == "Уважаемая Мария Петровна!"
    assert salutation("Черных Ольга Ивановна") == "Уважаемая Ольга Ивановна!"
    assert salutation("Петров И.С.") == "Уважаемые коллеги!"
    assert salutation("") == "Уважаемые коллеги!"
