"""The standard questionnaires every installation ships, written for the target model.

`ensure_standard_questionnaires()` creates the missing ones; it is called by a data
migration (with historical models) and by load_demo, and running it twice changes
nothing. The entry and final growth questionnaires use the codes of the registry's entry
assessment (registry.models.ASSESSMENT_PARAMETERS), so growth = final − entry compares
the same items, also with the curator's entry assessment.
"""

from __future__ import annotations

import uuid

from registry.catalog import STANDARD_FORMS

# The growth items: code → the wording of the question (the codes are the registry's).
GROWTH_ITEMS = [
    ("motivation", "Мотивация к учёбе или профессиональной деятельности"),
    ("competence", "Предметные и профессиональные знания и умения"),
    ("soft_skills", "Умение общаться, работать в команде, договариваться"),
    ("self_confidence", "Уверенность в себе и своих силах"),
    ("results", "Образовательные (профессиональные) результаты"),
]
GROWTH_CODES = [code for code, _text in GROWTH_ITEMS]


def _q(code, kind, text, options=None, required=True, help_text=""):
    return {
        "code": code,
        "kind": kind,
        "text": text,
        "options": options or [],
        "required": required,
        "help_text": help_text,
    }


def _growth(stage_word: str, closing: dict) -> list:
    scale_help = "1 — совсем низко, 5 — очень высоко"
    return [
        (
            f"Самооценка: {stage_word}",
            [_q(code, "scale_5", text, help_text=scale_help) for code, text in GROWTH_ITEMS],
        ),
        ("Дополнительно", [closing]),
    ]


STANDARD_QUESTIONNAIRES = [
    {
        "standard_code": "mentee_satisfaction",
        "kind": "mentee_satisfaction",
        "audience": "mentee",
        "title": "Анкета удовлетворённости наставляемого",
        "description": (
            "Анкета анонимна для школы и муниципалитета: результаты видны только в общих "
            "цифрах. Ответьте, пожалуйста, честно — это поможет сделать наставничество лучше."
        ),
        "sections": [
            (
                "Встречи с наставником",
                [
                    _q(
                        "overall",
                        "scale_5",
                        "Насколько вы в целом довольны участием в программе наставничества?",
                    ),
                    _q(
                        "meetings_useful",
                        "scale_5",
                        "Насколько полезными были встречи с наставником?",
                    ),
                    _q("frequency_fit", "scale_5", "Насколько вас устраивала частота встреч?"),
                    _q(
                        "mentor_available",
                        "scale_5",
                        "Мог ли наставник помочь, когда вам это было нужно?",
                    ),
                    _q(
                        "comfort", "scale_5", "Насколько комфортно вам было общаться с наставником?"
                    ),
                    _q("goals_clear", "scale_5", "Насколько понятны были цели совместной работы?"),
                ],
            ),
            (
                "Результаты",
                [
                    _q(
                        "changes",
                        "multiple",
                        "Что изменилось для вас благодаря наставничеству?",
                        [
                            "Стало интереснее учиться",
                            "Появились новые знания и умения",
                            "Стало легче общаться с людьми",
                            "Появилась уверенность в себе",
                            "Определился (определилась) с выбором профессии или направления",
                            "Улучшились оценки",
                            "Пока ничего не изменилось",
                        ],
                    ),
                    _q("continue", "yes_no", "Хотели бы вы продолжить работу с наставником?"),
                    _q("become_mentor", "yes_no", "Хотели бы вы сами стать наставником в будущем?"),
                    _q(
                        "improve",
                        "text",
                        "Что можно улучшить в программе наставничества?",
                        required=False,
                    ),
                ],
            ),
        ],
    },
    {
        "standard_code": "mentor_satisfaction",
        "kind": "mentor_satisfaction",
        "audience": "mentor",
        "title": "Анкета удовлетворённости наставника",
        "description": (
            "Ваши ответы помогут куратору и методической службе поддержать наставников. "
            "В отчёты попадают только обобщённые цифры."
        ),
        "sections": [
            (
                "Работа с наставляемым",
                [
                    _q(
                        "overall",
                        "scale_5",
                        "Насколько вы в целом довольны участием в программе в роли наставника?",
                    ),
                    _q(
                        "mentee_engagement",
                        "scale_5",
                        "Насколько наставляемый был вовлечён в совместную работу?",
                    ),
                    _q(
                        "goals_achieved",
                        "scale_5",
                        "Насколько удалось достичь целей индивидуального плана развития?",
                    ),
                    _q(
                        "time_enough", "scale_5", "Хватало ли вам времени на работу с наставляемым?"
                    ),
                ],
            ),
            (
                "Поддержка наставника",
                [
                    _q(
                        "training_useful",
                        "scale_5",
                        "Насколько обучение («Школа наставников») помогло вам в работе?",
                    ),
                    _q("curator_support", "scale_5", "Насколько вы довольны поддержкой куратора?"),
                    _q(
                        "difficulties",
                        "multiple",
                        "Что было самым трудным?",
                        [
                            "Нехватка времени",
                            "Низкая мотивация наставляемого",
                            "Недостаток методических материалов",
                            "Сложности в общении",
                            "Организационные вопросы",
                            "Трудностей не было",
                        ],
                    ),
                    _q(
                        "own_motivation",
                        "single",
                        "Как изменилась ваша собственная профессиональная мотивация?",
                        ["Выросла", "Не изменилась", "Снизилась"],
                    ),
                    _q(
                        "continue",
                        "yes_no",
                        "Готовы ли вы продолжить участие в программе наставником?",
                    ),
                    _q(
                        "suggestions",
                        "text",
                        "Ваши предложения по организации наставничества",
                        required=False,
                    ),
                ],
            ),
        ],
    },
    {
        "standard_code": "process_quality",
        "kind": "process_quality",
        "audience": "any",
        "title": "Анкета качества процесса наставничества",
        "description": "Оцените, как была организована работа вашей пары (группы).",
        "sections": [
            (
                "Организация",
                [
                    _q(
                        "organisation",
                        "scale_10",
                        "Оцените организацию программы наставничества в целом",
                    ),
                    _q(
                        "procedure_clear",
                        "scale_5",
                        "Насколько понятен был порядок работы в паре (группе)?",
                    ),
                    _q(
                        "meeting_frequency",
                        "single",
                        "Как часто проходили встречи?",
                        [
                            "Чаще раза в неделю",
                            "Раз в неделю",
                            "Раз в две недели",
                            "Раз в месяц",
                            "Реже раза в месяц",
                        ],
                    ),
                    _q("plan_exists", "yes_no", "Был ли составлен индивидуальный план развития?"),
                    _q("plan_followed", "scale_5", "Насколько встречи шли по плану?"),
                ],
            ),
            (
                "Взаимодействие и условия",
                [
                    _q("feedback", "scale_5", "Насколько регулярно вы получали обратную связь?"),
                    _q(
                        "conditions",
                        "scale_5",
                        "Насколько условия (место, время, материалы) позволяли работать?",
                    ),
                    _q("conflicts", "yes_no", "Были ли разногласия, которые не удалось решить?"),
                    _q("obstacles", "text", "Что мешало работе пары (группы)?", required=False),
                ],
            ),
        ],
    },
    {
        "standard_code": "growth_entry",
        "kind": "growth_entry",
        "audience": "mentee",
        "title": "Входная оценка: с чем я прихожу в программу",
        "description": (
            "Оцените себя сейчас, в начале работы с наставником. Правильных ответов нет."
        ),
        "sections": _growth(
            "начало программы",
            _q("expectations", "text", "Чего вы ждёте от работы с наставником?", required=False),
        ),
    },
    {
        "standard_code": "growth_final",
        "kind": "growth_final",
        "audience": "mentee",
        "title": "Итоговая оценка: чего я достиг в программе",
        "description": (
            "Оцените себя сейчас, в конце работы с наставником, по тем же пунктам, что и в начале."
        ),
        "sections": _growth(
            "завершение программы",
            _q("achievements", "text", "Чего вам удалось достичь?", required=False),
        ),
    },
    {
        "standard_code": "curator_report",
        "kind": "curator_report",
        "audience": "curator",
        "title": "Отчёт куратора о реализации программы наставничества",
        "description": "Заполняется куратором целевой модели в конце отчётного периода.",
        "sections": [
            (
                "Реализация программы",
                [
                    _q(
                        "implementation",
                        "single",
                        "Как реализуется программа наставничества в организации?",
                        [
                            "Полностью по плану",
                            "С небольшими отклонениями",
                            "Со значительными отклонениями",
                        ],
                    ),
                    _q("engagement", "scale_5", "Насколько участники вовлечены в программу?"),
                    _q(
                        "training_held",
                        "yes_no",
                        "Проведено ли обучение наставников («Школа наставников»)?",
                    ),
                    _q(
                        "plans_complete",
                        "yes_no",
                        "У всех ли пар (групп) есть индивидуальные планы развития?",
                    ),
                    _q(
                        "forms",
                        "multiple",
                        "Какие формы наставничества реализуются?",
                        [
                            "ученик – ученик",
                            "учитель – учитель",
                            "учитель – ученик",
                            "студент – ученик",
                            "работодатель – ученик",
                            "работодатель – студент",
                        ],
                    ),
                ],
            ),
            (
                "Итоги и предложения",
                [
                    _q("results_summary", "text", "Основные результаты за период"),
                    _q(
                        "best_practices",
                        "text",
                        "Практики, которые стоит включить в банк лучших практик",
                        required=False,
                    ),
                    _q("difficulties", "text", "Трудности и предложения", required=False),
                ],
            ),
        ],
    },
]


# The intake questionnaires the candidates fill themselves (issue 15). Their codes are
# what monitoring.services.intake takes into the registry: a copy made in the builder
# keeps the codes, so an adapted questionnaire is accepted the same way. Form options are
# the standard forms' names (registry.catalog), matched back by name.
FORM_OPTIONS = [name for _code, name in STANDARD_FORMS]
CAPACITY_OPTIONS = ["1", "2", "3", "4", "5"]

INTAKE_QUESTIONNAIRES = [
    {
        "standard_code": "mentee_intake",
        "kind": "mentee_intake",
        "audience": "mentee",
        "title": "Анкета кандидата в наставляемые",
        "description": (
            "Расскажите, в чём вам нужна поддержка: куратор программы подберёт наставника. "
            "Если вам нет 14 лет, анкету заполняет родитель вместе с вами."
        ),
        "sections": [
            (
                "Запросы и интересы",
                [
                    _q(
                        "needs",
                        "text",
                        "В чём вам нужна помощь наставника? Чему вы хотите научиться?",
                    ),
                    _q(
                        "interests",
                        "text",
                        "Ваши интересы и увлечения",
                        required=False,
                    ),
                ],
            ),
            (
                "Формат и время",
                [
                    _q(
                        "preferred_form",
                        "multiple",
                        "Какие формы наставничества вам подходят?",
                        FORM_OPTIONS,
                        required=False,
                    ),
                    _q(
                        "availability",
                        "text",
                        "Когда вам удобно встречаться?",
                        help_text="Дни недели и время, например: вторник и четверг после 15:00",
                    ),
                ],
            ),
        ],
    },
    {
        "standard_code": "mentor_intake",
        "kind": "mentor_intake",
        "audience": "mentor",
        "title": "Чем я могу быть полезен в качестве наставника?",
        "description": (
            "Анкета кандидата в наставники. Ответы увидит только куратор программы в вашей "
            "организации: по ним он подберёт вам наставляемых."
        ),
        "sections": [
            (
                "Чем я могу быть полезен",
                [
                    _q("useful", "text", "Чем я могу быть полезен в качестве наставника?"),
                    _q(
                        "competencies",
                        "text",
                        "Ваши сильные стороны и компетенции",
                        help_text="Например: подготовка к олимпиадам, проектная работа",
                    ),
                    _q("subjects", "text", "Предметы и направления", required=False),
                    _q("interests", "text", "Ваши интересы и увлечения", required=False),
                ],
            ),
            (
                "Опыт",
                [
                    _q(
                        "experience_years",
                        "text",
                        "Стаж работы (или учёбы по профилю), лет",
                        required=False,
                        help_text="Число, например: 12",
                    ),
                    _q(
                        "mentoring_experience",
                        "text",
                        "Был ли у вас опыт наставничества? Какой?",
                        required=False,
                    ),
                    _q(
                        "sen_experience",
                        "yes_no",
                        "Есть ли у вас опыт работы с детьми с ОВЗ?",
                    ),
                ],
            ),
            (
                "Нагрузка и время",
                [
                    _q(
                        "capacity",
                        "single",
                        "Скольких наставляемых вы готовы взять?",
                        CAPACITY_OPTIONS,
                    ),
                    _q(
                        "preferred_form",
                        "multiple",
                        "В каких формах наставничества вы готовы работать?",
                        FORM_OPTIONS,
                        required=False,
                    ),
                    _q(
                        "availability",
                        "text",
                        "Когда вам удобно встречаться?",
                        help_text="Дни недели и время",
                    ),
                ],
            ),
        ],
    },
]
# The choice after a group meeting: the ranking itself is the page's own fields (the
# people who came, monitoring.views.public); this questionnaire carries the comment.
PARTNER_CHOICE_QUESTIONNAIRE = {
    "standard_code": "partner_choice",
    "kind": "partner_choice",
    "audience": "any",
    "title": "С кем я хотел бы работать",
    "description": (
        "Вы были на групповой встрече. Выберите до трёх человек, с которыми вам хотелось бы "
        "работать, — первым того, с кем больше всего. Выбор увидит только куратор."
    ),
    "sections": [
        (
            "Комментарий",
            [
                _q(
                    "comment",
                    "text",
                    "Почему вы сделали такой выбор?",
                    required=False,
                    help_text="Необязательно",
                )
            ],
        )
    ],
}
STANDARD_QUESTIONNAIRES += [*INTAKE_QUESTIONNAIRES, PARTNER_CHOICE_QUESTIONNAIRE]


def ensure_standard_questionnaires(
    questionnaire_model=None, section_model=None, question_model=None
) -> int:
    """Create the standard questionnaires that are missing; returns how many were created.

    Takes the models so that a data migration can pass its historical ones.
    """
    if questionnaire_model is None:
        from monitoring.models import Question, Questionnaire, Section

        questionnaire_model, section_model, question_model = Questionnaire, Section, Question
    created = 0
    for spec in STANDARD_QUESTIONNAIRES:
        code = spec["standard_code"]
        if questionnaire_model.objects.filter(
            organization__isnull=True, standard_code=code
        ).exists():
            continue
        questionnaire = questionnaire_model.objects.create(
            organization=None,
            standard_code=code,
            family=uuid.uuid5(uuid.NAMESPACE_URL, f"mentorship-portal:standard:{code}"),
            version=1,
            is_current=True,
            title=spec["title"],
            description=spec["description"],
            kind=spec["kind"],
            audience=spec["audience"],
        )
        for s_pos, (title, questions) in enumerate(spec["sections"]):
            section = section_model.objects.create(
                questionnaire=questionnaire, title=title, position=s_pos
            )
            question_model.objects.bulk_create(
                question_model(questionnaire=questionnaire, section=section, position=q_pos, **q)
                for q_pos, q in enumerate(questions)
            )
        created += 1
    return created
