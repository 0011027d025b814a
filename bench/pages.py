"""Side by side: the app's main pages against a minimal hand-written Flask + sqlite3 view of the same rows.

    PYTHONPATH=. .venv/bin/python bench/pages.py                 # builds the demo in a temporary directory
    PYTHONPATH=. .venv/bin/python bench/pages.py --db demo.sqlite3 --runs 60 --user admin --district kalar

How: the demo database (`flask db upgrade` + `flask demo`, or --db) is read by two apps in one process: OMS
(logged in as a demo account) and the bare app below (a signed session cookie, sqlite3, inline Jinja templates
with autoescape, the same rows and columns each page of OMS shows, no ORM, no Babel). One client per app
(Flask's test client: no network, so the figures are the apps' own time); the requests are interleaved, page
by page, and which app goes first alternates each round. Prints the median per page, OMS / bare, and the
page sizes. The time is the thread's CPU time by default (everything runs in this one thread: the apps,
SQLite), so other work on a shared machine does not skew the ratio; `--clock wall` for elapsed time.

The sections added later are picked up automatically: every name in SECTIONS whose `/<slug>/<name>/` answers
200 in OMS is timed; a bare view for it is a function registered with `@bare_view("<name>")` below (without
one the page is timed alone and its ratio shows as "—").
"""
import argparse
import os
import secrets
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from flask import Flask, abort, g, render_template, session  # noqa: E402

DEMO_PASSWORD = "oms-demo"
SECTIONS = ("calendar", "practices", "contests", "olympiads", "consultations", "surveys", "documents")
BARE = {}


def bare_view(name):
    def register(fn):
        BARE[name] = fn
        return fn
    return register


# ---- the bare app --------------------------------------------------------------------------

LAYOUT = """<!doctype html><html lang="ru"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ title }} · {{ t.name }}</title>
<link rel="stylesheet" href="/static/css/app.css"><script src="/static/vendor/htmx-2.0.11.min.js" defer></script>
<script src="/static/js/app.js" defer></script></head>
<body hx-headers='{"X-CSRFToken": {{ csrf|tojson }}}'><a class="skip" href="#main">К содержанию</a>
<header class="topbar"><a href="/{{ t.slug }}/" class="brand"><span>{{ t.service_name }}</span>
<span>{{ t.name }} · {{ t.region }}</span></a>
<details class="usermenu"><summary>{{ u.full_name }}</summary><div>{{ u.email }}<br>{{ u.role }}
<a href="/account/password">Сменить пароль</a><form method="post" action="/logout">
<input type="hidden" name="csrf_token" value="{{ csrf }}"><input type="hidden" name="form_token" value="{{ token() }}"><button>Выйти</button></form></div></details></header>
<nav class="mainnav">{% for href, label in nav %}{% if label is string %}<a href="/{{ t.slug }}/{{ href }}"
{% if href == here %}aria-current="page"{% endif %}>{{ label }}</a>{% else %}<details class="navgroup"><summary>{{ href }}</summary>
<ul>{% for h, l in label %}<li><a href="/{{ t.slug }}/{{ h }}"{% if h == here %} aria-current="page"{% endif %}>{{ l }}</a></li>
{% endfor %}</ul></details>{% endif %}{% endfor %}</nav><div id="toasts" data-messages='{{ toasts|tojson }}'></div>
<main id="main" class="page">{% block content %}{% endblock %}</main>
<footer class="footer"><span>ОМС — планирование и сопровождение методической работы</span>
<form method="post" action="/lang"><input type="hidden" name="csrf_token" value="{{ csrf }}"><input type="hidden" name="form_token" value="{{ token() }}">
<button name="lang" value="ru">Русский</button> · <button name="lang" value="en">English</button></form></footer>
</body></html>"""

# The menu an admin of a district sees in OMS (oms/navigation.py): entries on the row and groups that open as a list.
NAV = [("", "Главная"), ("me/", "Моё"), ("calendar/", "Календарь"), ("plans/", "План работы"),
       ("Организация", [("structure/", "Структура"), ("council/", "Совет"), ("associations/", "Объединения"),
                        ("bodies/", "Советы школ"), ("directions/", "Направления и функции")]),
       ("Работа службы", [("events/", "Мероприятия"), ("contests/", "Конкурсы и олимпиады"),
                          ("practices/", "Банк практик"), ("consultations/", "Консультации"), ("surveys/", "Анкеты")]),
       ("Педагоги", [("people/", "Педагоги"), ("schools/", "Школы"), ("development/", "Развитие"),
                     ("pd-requests/", "Заявки на курсы")]),
       ("documents/", "Документы"),
       ("Управление", [("users/", "Пользователи"), ("audit/", "Журнал"), ("export/", "Выгрузка данных")])]
LINKS = [link for entry in NAV for link in (entry[1] if isinstance(entry[1], list) else [entry])]
TOASTS = {"400": "Запрос не принят. Обновите страницу и повторите.", "401": "Сеанс закончился. Войдите снова.",
          "403": "Нет прав на это действие.", "404": "Запись не найдена: возможно, её уже удалили.",
          "409": "Запись уже изменил другой пользователь. Обновите страницу.", "413": "Файл слишком большой.",
          "429": "Слишком много попыток. Подождите и повторите.", "500": "Ошибка на сервере. Попробуйте позже.",
          "other": "Не удалось выполнить действие (код {code}).",
          "offline": "Нет связи с сервером. Проверьте подключение и повторите."}

HOME = """{% extends "layout" %}{% block content %}
<section class="hero"><h1>{{ t.service_name }}</h1><p class="muted">{{ t.authority }} · {{ t.full_name }}</p>
<p class="small">{{ t.act_title }}, утверждено {{ t.act_kind }} {{ t.act_issuer }} № {{ t.act_number }}</p></section>
<section class="dash">
<article class="card"><h2><a href="/{{ t.slug }}/plans/">Выполнение плана</a></h2>
<ul>{% for status, n in plan %}<li>{{ status }}: <strong>{{ n }}</strong></li>{% endfor %}</ul></article>
<article class="card"><h2>Курсы за последние 3 года</h2><p>{{ coverage[0] }} / {{ coverage[1] }}</p>
<ul class="barlist">{% for s in schools %}<li><a href="/{{ t.slug }}/development/people/?flag=no_course&amp;school={{ s[0] }}">
{{ s[1] }}</a> {{ s[2] }}/{{ s[3] }}</li>{% endfor %}</ul></article>
<article class="card"><h2>Открытые дефициты по областям</h2><ul class="barlist">{% for a in areas %}
<li><a href="/{{ t.slug }}/development/deficits/?area={{ a[0] }}">{{ a[1] }}</a> {{ a[2] }}</li>{% endfor %}</ul></article>
<article class="card"><h2>Молодые специалисты и наставники</h2><p>{{ young[0] }} / {{ young[1] }}</p></article>
<article class="card"><h2>Аттестация в ближайшие 6 месяцев</h2><ul>{% for m in attestation %}<li>{{ m[0] }}: {{ m[1] }}</li>
{% endfor %}</ul></article><article class="card"><h2>Ждут подтверждения</h2><p>{{ proposed }}</p></article></section>
<section class="tiles">{% for href, label in links[1:] %}<a class="tile" href="/{{ t.slug }}/{{ href }}">{{ label }}</a>{% endfor %}
</section>{% endblock %}"""

PEOPLE = """{% extends "layout" %}{% block content %}<h1>Педагоги и специалисты</h1>
<form class="filters"><input name="q" type="search"><select name="school"><option value="">Все организации</option>
{% for s in schools %}<option value="{{ s[0] }}">{{ s[1] }}</option>{% endfor %}</select>
<select name="subject">{% for s in subjects %}<option>{{ s }}</option>{% endfor %}</select>
<select name="position">{% for s in positions %}<option>{{ s }}</option>{% endfor %}</select></form>
<p>Найдено: {{ total }} · <a href="/{{ t.slug }}/people/export.xlsx">Скачать XLSX</a></p>
<table class="table"><thead><tr><th>ФИО</th><th>Организация</th><th>Должность</th><th>Предметы</th><th>Категория</th>
<th>Стаж</th></tr></thead><tbody>{% for p in people %}<tr><td><a href="/{{ t.slug }}/people/{{ p.id }}/">
{{ p.last_name }} {{ p.first_name }} {{ p.middle_name }}</a>{% if p.is_young_specialist %}<span class="badge">молодой специалист
</span>{% endif %}</td><td>{% if p.school_id %}<a href="/{{ t.slug }}/schools/{{ p.school_id }}/">{{ p.school }}</a>{% endif %}
</td><td>{{ p.position }}</td><td>{{ p.subjects.replace(";", ", ") }}</td><td>{{ categories.get(p.category, "без категории") }}</td>
<td>{{ p.experience_years if p.experience_years is not none else "—" }}</td></tr>{% endfor %}</tbody></table>
{% endblock %}"""

PLAN = """{% extends "layout" %}{% block content %}{% macro csrf() %}<input type="hidden" name="csrf_token" value="{{ csrf
}}"><input type="hidden" name="form_token" value="{{ token() }}">{% endmacro %}{% set y = plan.start_year|string ~ "/" ~
(plan.start_year + 1)|string %}<div class="pagehead plan-head"><div><h1>{{ term }} на {{ y }} учебный год</h1><p class="plan-status">
{% if plan.status == "approved" %}<span class="badge badge--ok">Утверждён</span> {{ act_by.get(plan.act_kind, "приказом") }} {{
approver_of }} от {{ ru(plan.act_date) }} № {{ plan.act_number }}{% if approver %} · утвердил(а) {{ approver }}{% endif %} <span
class="muted small">· содержание закрыто, отметки о выполнении вносятся</span>{% else %}<span class="badge badge--warn">Проект</span>
<span class="muted small">не утверждён: содержание можно менять</span>{% endif %}</p></div><div class="plan-actions"><a class="btn"
href="{{ base }}analysis">Анализ выполнения</a><a class="btn" href="{{ base }}export.xlsx" download>Скачать XLSX</a>{% if
plan.status != "approved" %}<a class="btn" href="{{ base }}import">Импорт из XLSX</a><a class="btn btn--primary" href="{{ base
}}approve">Утвердить</a><form method="post" action="{{ base }}delete" data-confirm="Удалить проект плана на {{ y }} учебный год со всеми
его мероприятиями? Это действие нельзя отменить.">{{ csrf() }}<button class="btn btn--danger">Удалить проект</button></form>{% else
%}<a class="btn" href="{{ base }}reopen">Вернуть на доработку</a>{% endif %}</div></div>
<nav class="plan-years" aria-label="Учебные годы">{% for p in plans %}<a href="/{{ t.slug }}/plans/{{ p.start_year }}-{{ p.start_year +
1 }}/" {% if p.id == plan.id %}aria-current="page"{% endif %}>{{ p.start_year }}/{{ p.start_year + 1 }}{% if p.status == "approved" %}
✓{% endif %}</a>{% endfor %}{% if plans[-1].start_year == plan.start_year %}<form method="post" action="/{{ t.slug }}/plans/{{
plan.start_year + 1 }}-{{ plan.start_year + 2 }}/copy" data-confirm="Создать проект плана на {{ plan.start_year + 1 }}/{{
plan.start_year + 2 }} учебный год копированием этого плана? Месяцы сохранятся, даты сдвинутся на год, отметки о выполнении будут
очищены.">{{ csrf() }}<button class="linklike">+ план на {{ plan.start_year + 1 }}/{{ plan.start_year + 2 }} (копия этого)</button>
</form>{% endif %}</nav>
{% if changes %}<details class="plan-history"><summary>История утверждения ({{ changes|length }})</summary><ul>{% for c in changes
%}<li><strong>{{ c.at }}</strong> — {{ change_labels.get(c.action, c.action) }}{% if c.action == "approve" %} (приказ от {{
ru(c.act_date) }} № {{ c.act_number }}){% endif %}{% if c.reason %}: «{{ c.reason }}»{% endif %} <span class="muted">— {{ c.user_name
or "пользователь удалён" }}</span></li>{% endfor %}</ul></details>{% endif %}
<nav class="plan-views" aria-label="Вид плана"><a href="{{ base }}" aria-current="page">По направлениям</a><a href="{{ base
}}?view=month">По месяцам</a><a href="{{ base }}?mine=1">Мои мероприятия</a></nav>
<form id="plan-filters" class="filters plan-filters" method="get" action="{{ base }}" hx-get="{{ base }}" hx-target="#plan-list"
hx-push-url="true" hx-trigger="input changed delay:300ms from:input[type=search], change"><input type="search" name="q" value=""
placeholder="Поиск по названию, участникам, результату" aria-label="Поиск"><select name="direction" aria-label="Направление"><option
value="">Все направления</option>{% for d in directions %}<option value="{{ d.id }}">{{ d.name }}</option>{% endfor %}</select><select
name="month" aria-label="Месяц"><option value="">Все месяцы</option>{% for m in academic %}<option value="{{ m }}">{{
months[m]|capitalize }}</option>{% endfor %}</select><select name="person" aria-label="Ответственный"><option value="">Все
ответственные</option>{% for p in people %}<option value="{{ p[0] }}">{{ p[1] }}</option>{% endfor %}</select><select name="body"
aria-label="Организатор"><option value="">Все организаторы</option>{% for b in bodies %}<option value="{{ b[0] }}">{{ b[1] }}</option>
{% endfor %}</select>{% if functions %}<select name="function" aria-label="Функция"><option value="">Все функции</option>{% for f in
functions %}<option value="{{ f[0] }}">{{ f[1] }}</option>{% endfor %}</select>{% endif %}{% if forms %}<select name="form"
aria-label="Форма работы"><option value="">Все формы</option>{% for f in forms %}<option value="{{ f[0] }}">{{ f[1] }}</option>{% endfor
%}</select>{% endif %}<select name="status" aria-label="Выполнение"><option value="">Любое выполнение</option>{% for k, v in
statuses.items() %}<option value="{{ k }}">{{ v }}</option>{% endfor %}</select><label class="plan-mine"><input type="checkbox"
name="mine" value="1"> Только мои</label><noscript><button class="btn">Показать</button></noscript><a class="small" href="{{ base
}}">Сбросить</a></form>
{% macro add_row(key, query) %}<tr class="plan-add-row" id="add-{{ key }}"><td colspan="8"><a class="btn btn--small" href="{{ base
}}items/new?{{ query }}" hx-get="{{ base }}items/new?{{ query }}" hx-target="#add-{{ key }}" hx-swap="outerHTML">+ Добавить
мероприятие</a></td></tr>{% endmacro %}{% set content = plan.status != "approved" %}
{% if content %}<div class="tablewrap plan-top-add"><table class="table plan-table"><tbody>{{ add_row("top", "ctx=top") }}</tbody>
</table></div>{% endif %}
<div id="plan-list" hx-get="" hx-trigger="plan-changed from:body" hx-target="this" hx-swap="innerHTML">{% if sections or empty %}<div
class="tablewrap"><table class="table plan-table table--stack"><thead><tr><th class="plan-num">№ п/п</th><th
class="col-title">Мероприятие</th><th class="col-form">Форма проведения</th><th class="col-timing">Сроки</th><th
class="col-people">Ответственные</th><th class="col-audience">Участники</th><th class="col-result">Ожидаемый результат</th><th
class="col-exec">Выполнение</th></tr></thead>
{% for section in sections %}<tbody id="section-{{ section.id }}"><tr class="plan-section"><th colspan="8">{{ section.number }}. {{
section.name }}</th></tr>
{% for i in section["items"] %}{% set url = base ~ "items/" ~ i.id %}<tr id="item-{{ i.id }}" class="plan-item plan-item--{{ i.status
}}"><td class="plan-num">{{ i.number }}</td><td class="plan-title"><div>{{ i.title }}</div>{% if i.body or i.school or i.function_id
%}<div class="plan-meta">{% if i.body %}<span>Организатор: {{ i.body }}</span>{% endif %}{% if i.school %}<span>Место: {{ i.school
}}</span>{% endif %}{% if i.function_id %}<span title="{{ i.ftext }}">Функция {{ i.clause or "" }}</span>{% endif %}</div>{% endif
%}</td><td data-label="Форма проведения">{{ i.form or "" }}</td><td class="plan-timing" data-label="Сроки">{{ i.timing }}</td><td
data-label="Ответственные">{{ i.people }}{{ i.responsible_note }}</td><td data-label="Участники">{{ i.audience }}</td><td
data-label="Ожидаемый результат">{{ i.expected_result }}</td><td class="plan-exec" data-label="Выполнение">{% if i.status == "done"
%}<span class="badge badge--ok">выполнено</span><div class="small">{{ ru(i.actual_date) }}{% if i.participants_count is not none %} ·
участников: {{ i.participants_count }}{% endif %}</div>{% elif i.status == "moved" %}<span class="badge badge--warn">перенесено</span>
{% if i.moved_to_month %}<div class="small">на {{ months[i.moved_to_month] }}</div>{% endif %}{% elif i.status == "cancelled" %}<span
class="badge badge--err">отменено</span>{% if i.cancel_reason %}<div class="small">{{ i.cancel_reason }}</div>{% endif %}{% else
%}<span class="badge">запланировано</span>{% endif %}{% if i.evidence_mode == "evidence" %}<div class="small"><span class="badge
badge--ok">по факту</span></div>{% elif i.evidence_mode == "override" %}<div class="small" title="{{ i.override_note }}"><span
class="badge badge--warn">исправлено вручную</span> {{ i.override_note }}</div>{% endif %}{% if i.result_note %}<div class="small
muted">{{ i.result_note }}</div>{% endif %}<div class="plan-row-actions"><a href="/{{ t.slug }}/evidence/items/{{ i.id
}}/">Исполнение</a><a href="{{ url }}/execution" hx-get="{{ url }}/execution" hx-target="#item-{{ i.id }}"
hx-swap="outerHTML">Отметка</a>{% if content %}<a href="{{ url }}/edit" hx-get="{{ url }}/edit" hx-target="#item-{{ i.id }}"
hx-swap="outerHTML">Изменить</a><form method="post" action="{{ url }}/delete" hx-post="{{ url }}/delete" hx-target="#item-{{ i.id }}"
hx-swap="outerHTML" hx-confirm="Удалить мероприятие «{{ i.title[:80] }}» из плана?">{{ csrf() }}<button class="linklike
danger">Удалить</button></form>{% endif %}</div></td></tr>{% endfor %}
{% if content and (not loop.last or not has_next) %}{{ add_row("d" ~ section.id, "direction_id=" ~ section.id ~ "&ctx=section") }}{%
endif %}</tbody>{% endfor %}{% for d in empty %}<tbody id="section-{{ d.id }}"><tr class="plan-section plan-section--empty"><th
colspan="8">{{ d.name }} <span class="muted small">— мероприятий пока нет</span></th></tr>{{ add_row("d" ~ d.id, "direction_id=" ~
d.id ~ "&ctx=section") }}</tbody>{% endfor %}</table></div>{% if total > 100 %}<nav class="pager" aria-label="Страницы"><span>стр. 1 из
{{ (total + 99) // 100 }} · всего мероприятий {{ total }}</span><a href="{{ base }}?page=2" hx-get="{{ base }}?page=2"
hx-target="#plan-list" hx-push-url="true">вперёд →</a></nav>{% endif %}{% else %}<div class="empty"><p>В плане пока нет мероприятий.
Добавьте первое кнопкой «Добавить мероприятие» или импортируйте план из XLSX.</p></div>{% endif %}</div>{% endblock %}"""

STRUCTURE = """{% extends "layout" %}{% block content %}<h1>Структура: {{ t.service_name }}</h1>
{% macro box(b) %}<div class="org-box org-box--{{ b.category }}"><a href="{{ b.href }}">{{ b.name }}</a>
<span class="small">{{ b.kind }}{% if b.clause %} · п. {{ b.clause }}{% endif %}</span>{% if b.head %}<span>{{ b.head }}</span>
{% endif %}<span>{{ b.members }} чел.</span><a href="/{{ t.slug }}/structure/{{ b.id }}/edit">Изменить</a>
{% if b.children %}<div class="org-children">{% for c in b.children %}{{ box(c) }}{% endfor %}</div>{% endif %}</div>{% endmacro %}
<form method="post" action="/{{ t.slug }}/structure/new"><select name="kind_id">{% for k in kinds %}<option value="{{ k[0] }}">
{{ k[1] }}</option>{% endfor %}</select><select name="parent_id">{% for b in all %}<option value="{{ b.id }}">{{ b.name }}</option>
{% endfor %}</select><select name="school_id">{% for s in schools %}<option value="{{ s[0] }}">{{ s[1] }}</option>{% endfor %}
</select><input name="name"><button>Добавить</button></form>
<section><h2>Муниципальный уровень</h2><div class="org">{% for b in municipal %}{{ box(b) }}{% endfor %}</div></section>
<section><h2>Уровень образовательных организаций</h2>{% for name, nodes in by_school %}<div class="org-school"><h3>{{ name }}</h3>
<div class="org">{% for b in nodes %}{{ box(b) }}{% endfor %}</div></div>{% endfor %}</section>{% endblock %}"""

COUNCIL = """{% extends "layout" %}{% block content %}{% macro csrf() %}<input type="hidden" name="csrf_token" value="{{
csrf }}"><input type="hidden" name="form_token" value="{{ token() }}">{% endmacro %}<div class="pagehead"><h1>{{ heading }}</h1></div>
{% if councils|length > 1 %}<nav class="tabs">{% for c in councils %}<a href="/{{ t.slug }}/council/{{ c.id }}/"{% if c.id == body.id
%} aria-current="page"{% endif %}>{{ c.name }}</a>{% endfor %}</nav>{% endif %}
<p class="muted">{{ body.name }}{% if body.kind != body.name %} · {{ body.kind }}{% endif %}{% if body.clause %} · п. {{ body.clause
}}{% endif %}{% if body.subject %} · {{ body.subject }}{% endif %}</p>
<section class="card order" id="order"><p>{% if body.order_number or body.order_date %}Состав утверждён приказом{% if body.order_number
%} № {{ body.order_number }}{% endif %}{% if body.order_date %} от {{ ru(body.order_date) }}{% endif %}{% if current %}{% for f in
files.get(current.id, []) %} · <a href="/{{ t.slug }}/documents/{{ current.id }}/files/{{ f.id }}" download>{{ f.filename }}</a>{% endfor
%} · <a href="/{{ t.slug }}/documents/{{ current.id }}/">документ</a>{% endif %}{% else %}<span class="muted">Приказ об утверждении
состава не указан.</span>{% endif %}</p>
<details><summary>Реквизиты приказа о составе</summary><form method="post" action="{{ base }}order" hx-post="{{ base }}order"
hx-target="#order" hx-swap="outerHTML" class="form" novalidate>{{ csrf() }}<input id="version" name="version" type="hidden" value="{{
body.version }}"><div class="grid2"><div class="field"><label for="order_number">Номер приказа об утверждении состава</label><input
id="order_number" maxlength="60" name="order_number" type="text" value="{{ body.order_number or "" }}"></div><div class="field"><label
for="order_date">Дата приказа</label><input id="order_date" name="order_date" type="date" value="{{ body.order_date or "" }}"></div>
</div><button class="btn btn--primary btn--small" type="submit">Сохранить</button></form></details>
<details id="composition-change"><summary>Записать изменение состава новым приказом</summary><p class="small muted">Сначала измените
состав (добавьте или исключите членов), затем запишите приказ: нынешний список членов сохранится вместе с ним, а прежний состав
останется доступным со своим приказом.</p><form method="post" action="{{ base }}composition" class="form" enctype="multipart/form-data"
novalidate>{{ csrf() }}<div class="grid2"><div class="field"><label for="order_number">Номер приказа</label><input id="order_number"
maxlength="60" name="order_number" required type="text" value=""></div><div class="field"><label for="order_date">Дата приказа</label>
<input id="order_date" name="order_date" required type="date" value=""></div></div><div class="field"><label for="attachments">Файл
приказа</label><input accept=".pdf,.doc,.xls,.ppt,.docx,.xlsx,.pptx,.odt,.ods,.odp,.jpg,.jpeg,.png,.zip" id="attachments" multiple
name="attachments" type="file"></div><button class="btn btn--primary btn--small" type="submit">Записать приказ</button></form></details>
{% macro listed(composition) %}<ol>{% for m in composition %}<li>{{ m.name }}{% if m.role != "member" and m.role in roles %} — {{
roles[m.role]|lower }}{% endif %}{% if m.title %}, {{ m.title }}{% endif %}</li>{% endfor %}</ol>{% endmacro %}
{% if current and current.composition %}<details><summary>Состав по приказу № {{ current.number }}</summary>{{
listed(current.composition) }}</details>{% endif %}
{% if earlier %}<h3>Прежние составы</h3><ul id="earlier-compositions">{% for o in earlier %}<li><details><summary>Приказ{% if o.number
%} № {{ o.number }}{% endif %}{% if o.issued_on %} от {{ ru(o.issued_on) }}{% endif %} — <span class="badge badge--muted">утратил
силу</span></summary>{% for f in files.get(o.id, []) %}<a href="/{{ t.slug }}/documents/{{ o.id }}/files/{{ f.id }}" download>{{
f.filename }}</a> {% endfor %}{% if o.composition %}{{ listed(o.composition) }}{% else %}<p class="muted">Список членов к этому приказу
не сохранён.</p>{% endif %}</details></li>{% endfor %}</ul>{% endif %}</section>
<div class="council-grid"><section class="card"><h2 id="meetings-h">Заседания: {{ meetings_of }}</h2><div id="meetings"><p><a
class="btn btn--primary" href="{{ base }}meetings/new">Новое заседание</a></p>{% if meetings %}<div class="tablewrap"><table
class="table table--stack"><thead><tr><th>№</th><th>Дата</th><th>Тема</th><th>Состояние</th><th>Решения</th></tr></thead><tbody>
{% for m in meetings %}<tr><td><a href="{{ base }}meetings/{{ m.id }}/">№ {{ m.number }}</a></td><td>{{ ru(m.held_on) }}</td><td>{{
m.topic or "—" }}</td><td>{% if m.is_held %}<span class="badge badge--ok">проведено</span>{% else %}<span class="badge
badge--muted">запланировано</span>{% endif %}</td><td>{{ m.total }}{% if m.open %} · <span class="badge badge--warn">в работе: {{ m.open
}}</span>{% endif %}{% if m.overdue %} <span class="badge badge--err">просрочено: {{ m.overdue }}</span>{% endif %}</td></tr>
{% endfor %}</tbody></table></div>{% else %}<div class="empty"><p>Заседаний пока нет.</p></div>{% endif %}</div></section>
<section class="card"><h2 id="open-h">Решения в работе</h2><div id="open-decisions">{% if decisions %}<p class="small">Решений в работе:
{{ decisions|length }}{% if overdue %} · <span class="badge badge--err">просрочено: {{ overdue }}</span>{% endif %}</p><ul
class="decisions">{% for d in decisions %}<li class="decision{% if d.overdue %} decision--overdue{% endif %}"><div class="prewrap">{{
d.text }}</div><div class="small muted"><a href="{{ base }}meetings/{{ d.meeting_id }}/">Заседание № {{ d.number }} от {{ ru(d.held_on)
}}</a> · Ответственный: {{ d.person or "не назначен" }} · Срок: {{ ru(d.due_date) or "не указан" }}{% if d.overdue %}<span class="badge
badge--err">просрочено</span>{% endif %}</div></li>{% endfor %}</ul>{% else %}<div class="empty"><p>Открытых решений нет: всё исполнено
или снято.</p></div>{% endif %}</div></section></div>
<section class="card"><h2 id="members-h">Состав</h2><div id="members">{% if members %}<div class="tablewrap"><table class="table
table--stack"><thead><tr><th>ФИО</th><th>Роль</th><th>Кого представляет, должность в составе</th><th>Организация</th><th></th></tr>
</thead><tbody>{% for m in members %}<tr id="member-{{ m.id }}" class="{% if m.role in ("chair", "leader") %}row--lead{% endif %}"><td>{{
m.name }}{% if m.position %}<div class="small muted">{{ m.position }}</div>{% endif %}</td><td><span class="badge{% if m.role in ("chair",
"leader") %} badge--accent{% endif %}">{{ roles.get(m.role, m.role) }}</span></td><td>{{ m.role_title or "—" }}</td><td>{{ m.school or
"—" }}</td><td class="actions"><a href="{{ base }}members/{{ m.id }}/edit" hx-get="{{ base }}members/{{ m.id }}/edit"
hx-target="#member-{{ m.id }}" hx-swap="outerHTML">Изменить</a><form method="post" action="{{ base }}members/{{ m.id }}/delete"
hx-post="{{ base }}members/{{ m.id }}/delete" hx-target="#members" hx-swap="outerHTML" hx-confirm="Исключить {{ m.name }} из
состава?">{{ csrf() }}<button class="linklike danger" type="submit">Исключить</button></form></td></tr>{% endfor %}</tbody></table></div>
<p class="small muted">Всего в составе: {{ members|length }}</p>{% else %}<div class="empty"><p>В составе пока никого нет.</p></div>
{% endif %}<details class="org-add"><summary>Добавить в состав</summary><form method="post" action="{{ base }}members" hx-post="{{ base
}}members" hx-target="#members" hx-swap="outerHTML" class="form" novalidate>{{ csrf() }}<div class="grid3"><div class="field picker"
data-picker data-name="person_id" data-multiple="false" data-remove-text="убрать" data-remove-label="Убрать: {name}"><label
for="person_id">Кто</label><ul class="picker__chips" aria-label="Выбраны"></ul><input type="search" id="person_id" name="pick_q"
form="picker-nowhere" autocomplete="off" spellcheck="false" class="picker__input" role="combobox" aria-autocomplete="list"
aria-expanded="false" aria-controls="person_id-options" placeholder="Найти: фамилия…" hx-get="/{{ t.slug }}/people/pick?exclude={{
members|map(attribute="person_id")|sort|join(",") }}" hx-trigger="input delay:250ms, search" hx-target="next .picker__results"
hx-swap="innerHTML" hx-push-url="false" hx-sync="this:replace" data-picker-input><div class="picker__results"
id="person_id-options"></div></div><div class="field"><label for="role">Роль</label><select id="role" name="role">{% for k in ("chair",
"deputy", "secretary", "member") %}<option {% if k == "member" %}selected {% endif %}value="{{ k }}">{{ roles[k] }}</option>{% endfor %}
</select></div><div class="field"><label for="role_title">Кого представляет, должность в составе</label><input id="role_title"
list="role-titles" maxlength="200" name="role_title" type="text" value=""></div></div><datalist id="role-titles">{% for r in
catalogues.get("council_roles", []) + catalogues.get("positions", []) %}<option value="{{ r.name }}">{% endfor %}</datalist><button
class="btn btn--primary" type="submit">Добавить</button></form></details></div></section>
{% if composition %}<section class="card" id="composition"><h2>Состав по должностям</h2><p class="hint">Место в составе занято, когда в
графе «Кого представляет» у члена совета указана эта должность; для мест «от каждой школы» — у члена совета из этой школы.</p><ul
class="list">{% for c in composition %}<li><strong>{{ c.title }}</strong>{% if c.per_school %} <span class="small muted">(от каждой
школы)</span>{% endif %}: {% if c.holders %}{{ c.holders|join(", ") }}{% elif not c.per_school %}<span class="badge badge--err">не
назначен</span>{% endif %}{% if c.missing %}<div class="small"><span class="badge badge--warn">нет представителя</span> {{
c.missing|join(", ") }}</div>{% endif %}<form method="post" class="inline" action="{{ base }}composition/rules/{{ c.id }}/delete"
data-confirm="Убрать это место из состава?">{{ csrf() }}<button class="linklike danger" type="submit">убрать</button></form></li>
{% endfor %}</ul>{% endif %}<form method="post" class="form inline-form" action="{{ base }}composition/rules">{{ csrf() }}<label
for="rule-title">Должность</label><input id="rule-title" name="title" list="council-roles" maxlength="300" required><datalist
id="council-roles">{% for r in catalogues.get("council_roles", []) %}<option value="{{ r.name }}">{% endfor %}</datalist><label
class="field--check"><input type="checkbox" name="per_school" value="1"> от каждой школы</label><button class="btn" type="submit">Добавить
место</button></form></section>
<section class="card" id="proposals"><h2>Предложения в повестку</h2>{% if proposals %}<ul class="list">{% for p in proposals %}<li><strong>{{
p.title }}</strong>{% if p.speaker %} (докладчик: {{ p.speaker }}){% endif %} <span class="small muted">— {% if p.from_body %}{{
p.from_body }}, {% endif %}{{ p.proposer or "" }}, {{ ru(p.created_at[:10]) }}</span> <span class="badge">{{ p.status }}{% if p.number
%}: № {{ p.number }}{% endif %}</span>{% if p.status == "proposed" %}{% if open_meetings %}<form method="post" class="inline" action="{{
base }}proposals/{{ p.id }}/take">{{ csrf() }}<select name="meeting_id">{% for m in open_meetings %}<option value="{{ m.id }}">№ {{
m.number }} от {{ ru(m.held_on) }}</option>{% endfor %}</select><button class="btn" type="submit">Включить в повестку</button></form>
{% endif %}<form method="post" class="inline" action="{{ base }}proposals/{{ p.id }}/decline">{{ csrf() }}<button class="linklike
danger" type="submit">Отклонить</button></form>{% endif %}</li>{% endfor %}</ul>{% endif %}<form class="form" method="post" action="{{
base }}proposals" novalidate>{{ csrf() }}<div class="field"><label for="title">Вопрос для повестки совета</label><input id="title"
maxlength="500" name="title" required type="text" value=""></div><div class="grid2"><div class="field"><label
for="speaker">Докладчик</label><input id="speaker" maxlength="200" name="speaker" type="text" value=""></div><div class="field"><label
for="from_body_id">От объединения</label><select id="from_body_id" name="from_body_id"><option selected value="">— от себя —</option>
{% for b in led %}<option value="{{ b[0] }}">{{ b[1] }}</option>{% endfor %}</select></div></div><button class="btn"
type="submit">Предложить вопрос</button></form></section>
{% endblock %}"""

CATEGORIES = {"first": "первая", "highest": "высшая", "svd": "соответствие занимаемой должности",
              "teacher_methodist": "педагог-методист", "teacher_mentor": "педагог-наставник"}
STATUSES = {"planned": "Запланировано", "done": "Выполнено", "moved": "Перенесено", "cancelled": "Отменено"}
MONTHS = ["", "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
          "ноябрь", "декабрь"]


def bare_app(db_path: str) -> Flask:
    from jinja2 import DictLoader

    app = Flask("bare", static_folder=None)
    app.secret_key = "bare"
    app.jinja_loader = DictLoader({"layout": LAYOUT, "home": HOME, "people": PEOPLE, "plan": PLAN,
                                   "structure": STRUCTURE, "council": COUNCIL, **TEMPLATES})
    app.jinja_env.autoescape = True
    app.jinja_env.globals.update(ru=_ru, token=lambda: secrets.token_urlsafe(24))  # a form's one-time token

    def db():
        if "db" not in g:
            g.db = sqlite3.connect(db_path)
            g.db.row_factory = sqlite3.Row
        return g.db

    @app.teardown_appcontext
    def close(exc):
        conn = g.pop("db", None)
        if conn is not None:
            conn.close()

    @app.get("/login-as/<int:user_id>")
    def login_as(user_id):
        session["uid"] = user_id
        return "ok"

    def page(slug, template, **context):
        """What every bare page does: the user from the session, the district from the URL, the layout."""
        user = db().execute("SELECT id, email, full_name, role, tenant_id FROM user WHERE id = ?",
                            (session.get("uid"),)).fetchone()
        tenant = db().execute("SELECT * FROM tenant WHERE slug = ?", (slug,)).fetchone()
        if user is None or tenant is None or user["tenant_id"] != tenant["id"]:
            abort(404)
        g.tid = tenant["id"]
        context = {k: v(g.tid) if callable(v) else v for k, v in context.items()}
        from flask import request

        here = request.path[len(slug) + 2:].split("/")[0]
        here = here + "/" if here else ""
        return render_template(template, t=tenant, u=user, nav=NAV, links=LINKS, here=here, toasts=TOASTS,
                               csrf="x" * 40, title=template, **context)

    def q(sql, *args):
        return db().execute(sql, args).fetchall()

    for name, fn in BARE.items():
        app.add_url_rule(f"/<slug>/{fn.path}", name, (lambda fn: lambda slug, **kw: fn(page, q, slug, **kw))(fn))
    return app


def _path(path):
    def mark(fn):
        fn.path = path
        return fn
    return mark


def today() -> date:
    from oms import clock

    return clock.today()


@bare_view("home")
@_path("")
def bare_home(page, q, slug):
    def context(tid):
        now = today()
        current = now.year if now.month >= 9 else now.year - 1
        year = q("SELECT max(start_year) FROM plan WHERE tenant_id = ? AND start_year <= ?", tid, current)[0][0]
        recent = (now - timedelta(days=3 * 365)).isoformat()
        schools = q("SELECT s.id, coalesce(nullif(s.short_name, ''), s.name), sum(p.id IN (SELECT person_id FROM course "
                    "WHERE status = 'confirmed' AND date_to >= ? AND tenant_id = ?)), count(*) FROM person p "
                    "JOIN school s ON s.id = p.school_id WHERE p.tenant_id = ? GROUP BY s.id ORDER BY 3 * 1.0 / "
                    "count(*) LIMIT 6", recent, tid, tid)
        return {
            "plan": q("SELECT i.status, count(*) FROM plan_item i JOIN plan p ON p.id = i.plan_id WHERE p.tenant_id = ? "
                      "AND p.start_year = ? GROUP BY i.status", tid, year),
            "coverage": q("SELECT sum(id IN (SELECT person_id FROM course WHERE status = 'confirmed' AND date_to >= ? "
                          "AND tenant_id = ?)), count(*) FROM person WHERE tenant_id = ? AND school_id IS NOT NULL",
                          recent, tid, tid)[0],
            "schools": schools,
            "areas": q("SELECT a.id, a.name, count(d.id) FROM competence_area a JOIN deficit d ON d.area_id = a.id "
                       "WHERE a.tenant_id = ? AND d.status = 'open' GROUP BY a.id, a.name", tid),
            "young": q("SELECT sum(id IN (SELECT mentee_id FROM mentorship WHERE date_from <= ? AND (date_to IS NULL "
                       "OR date_to >= ?) AND tenant_id = ?)), count(*) FROM person WHERE tenant_id = ? AND "
                       "is_young_specialist", now.isoformat(), now.isoformat(), tid, tid)[0],
            "attestation": q("SELECT substr(next_due, 1, 7), count(*) FROM attestation WHERE tenant_id = ? AND "
                             "next_due BETWEEN ? AND ? GROUP BY 1", tid, now.isoformat(),
                             (now + timedelta(days=183)).isoformat()),
            "proposed": q("SELECT count(*) FROM course WHERE tenant_id = ? AND status = 'proposed'", tid)[0][0],
        }
    return page(slug, "home", **context(_tid(q, slug)))


def _tid(q, slug):
    return q("SELECT id FROM tenant WHERE slug = ?", slug)[0][0]


@bare_view("people")
@_path("people/")
def bare_people(page, q, slug):
    tid = _tid(q, slug)
    people = q("SELECT p.*, coalesce(nullif(s.short_name, ''), s.name) AS school FROM person p LEFT JOIN school s "
               "ON s.id = p.school_id WHERE p.tenant_id = ? ORDER BY p.last_name, p.first_name, p.middle_name, p.id "
               "LIMIT 50", tid)
    subjects = sorted({s.strip() for (row,) in q("SELECT DISTINCT subjects FROM person WHERE tenant_id = ? AND "
                                                  "subjects != ''", tid) for s in row.split(";") if s.strip()})
    return page(slug, "people", people=people, categories=CATEGORIES, subjects=subjects,
                total=q("SELECT count(*) FROM person WHERE tenant_id = ?", tid)[0][0],
                schools=q("SELECT id, coalesce(nullif(short_name, ''), name) FROM school WHERE tenant_id = ? "
                          "ORDER BY name", tid),
                positions=[r[0] for r in q("SELECT DISTINCT position FROM person WHERE tenant_id = ? AND "
                                           "position != '' ORDER BY position", tid)])


def _short(last, first, middle):
    return " ".join([last] + [x[0] + "." for x in (first, middle) if x])


ACADEMIC = (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8)  # bit i of a plan item's months is ACADEMIC[i]


def _months_text(mask):
    if mask & 4095 == 4095:
        return "в течение года"
    runs = []
    for i, m in enumerate(ACADEMIC):
        if mask & (1 << i):
            if runs and runs[-1][-1][0] == i - 1:
                runs[-1].append((i, m))
            else:
                runs.append([(i, m)])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{MONTHS[run[0][1]]} – {MONTHS[run[-1][1]]}")
        else:
            parts.extend(MONTHS[m] for _, m in run)
    return ", ".join(parts)


def _timing(months, date_from, date_to):
    """As OMS states an item's timing: exact dates if known, then the months beyond them."""
    if not date_from:
        return _months_text(months or 0)
    text = _ru(date_from) + (f" – {_ru(date_to)}" if date_to and date_to != date_from else "")
    covered, (y, m), end = 0, (int(date_from[:4]), int(date_from[5:7])), date_to or date_from
    while (y, m) <= (int(end[:4]), int(end[5:7])) and bin(covered).count("1") < 12:
        covered |= 1 << ACADEMIC.index(m)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    extra = (months or 0) & ~covered
    return text + (", " + _months_text(extra) if extra else "")


@bare_view("plan")
@_path("plans/<year>/")
def bare_plan(page, q, slug, year):
    """The plan's first page as OMS shows it to an admin: the head with its state and actions, the years, the views,
    the filters, then 100 items numbered over the whole plan, with every column and row action."""
    import json

    tid = _tid(q, slug)
    plan = q("SELECT * FROM plan WHERE tenant_id = ? AND start_year = ?", tid, int(year[:4]))[0]
    tenant = q("SELECT terms, authority, authority_genitive FROM tenant WHERE id = ?", tid)[0]
    directions = q("SELECT id, name FROM direction WHERE tenant_id = ? ORDER BY position, id", tid)
    order = ("FROM plan_item i JOIN direction d ON d.id = i.direction_id WHERE i.tenant_id = ? AND i.plan_id = ? "
             "ORDER BY d.position, d.id, i.position, i.id")
    everything = q(f"SELECT i.id, i.direction_id {order}", tid, plan["id"])  # the document's numbers
    section_no, numbers, counts = {}, {}, {}
    for item_id, direction_id in everything:
        section_no.setdefault(direction_id, len(section_no) + 1)
        counts[direction_id] = counts.get(direction_id, 0) + 1
        numbers[item_id] = f"{section_no[direction_id]}.{counts[direction_id]}"
    rows = q("SELECT i.*, b.name AS body, coalesce(nullif(s.short_name, ''), s.name) AS school, f.clause, f.text AS ftext, "
             "w.name AS form FROM plan_item i LEFT JOIN body b ON b.id = i.body_id LEFT JOIN school s ON "
             "s.id = i.venue_school_id LEFT JOIN function f ON f.id = i.function_id LEFT JOIN work_form w ON "
             f"w.id = i.form_id WHERE i.id IN (SELECT i.id {order} LIMIT 100) "
             "ORDER BY (SELECT position FROM direction WHERE id = i.direction_id), i.direction_id, i.position, i.id",
             tid, plan["id"])
    ids = [r["id"] for r in rows]
    people = {}
    for item_id, last, first, middle in q(
            f"SELECT r.item_id, p.last_name, p.first_name, p.middle_name FROM plan_item_responsible r JOIN person p "
            f"ON p.id = r.person_id WHERE r.tenant_id = ? AND r.item_id IN ({','.join('?' * len(ids))}) "
            f"ORDER BY r.position", tid, *ids):
        people.setdefault(item_id, []).append(_short(last, first, middle))
    names = {d["id"]: d["name"] for d in directions}
    sections = []
    for r in rows:
        if not sections or sections[-1]["id"] != r["direction_id"]:
            sections.append({"id": r["direction_id"], "name": names[r["direction_id"]],
                             "number": section_no[r["direction_id"]], "items": []})
        item = dict(r)
        names_of = people.get(r["id"], [])
        item.update(number=numbers[r["id"]], timing=_timing(r["months"], r["date_from"], r["date_to"]),
                    people=", ".join(names_of) + (", " if names_of and r["responsible_note"] else ""))
        sections[-1]["items"].append(item)
    has_next = len(everything) > 100
    approved = plan["status"] == "approved"
    empty = [d for d in directions if d["id"] not in section_no] if not approved and not has_next else []
    chosen = [(r[0], " ".join(x for x in r[1:] if x)) for r in q(
        "SELECT id, last_name, first_name, middle_name FROM person WHERE id IN (SELECT person_id FROM "
        "plan_item_responsible r JOIN plan_item i ON i.id = r.item_id WHERE i.plan_id = ?) ORDER BY last_name, "
        "first_name", plan["id"])]
    approver = q("SELECT full_name FROM user WHERE tenant_id = ? AND id = ?", tid, plan["approved_by_id"])
    return page(slug, "plan", plan=plan, directions=directions, sections=sections, empty=empty, has_next=has_next,
                total=len(everything), statuses=STATUSES, people=chosen, months=MONTHS, academic=ACADEMIC,
                term=json.loads(tenant["terms"] or "{}").get("plan", "План работы"),
                approver_of=tenant["authority_genitive"] or tenant["authority"],
                approver=approver[0][0] if approver else None,
                act_by={"order": "приказом", "resolution": "постановлением", "directive": "распоряжением"},
                change_labels={"approve": "Утверждён", "reopen": "Возвращён на доработку"},
                plans=q("SELECT id, start_year, status FROM plan WHERE tenant_id = ? ORDER BY start_year", tid),
                changes=q("SELECT * FROM plan_status_change WHERE plan_id = ? AND tenant_id = ? ORDER BY at",
                          plan["id"], tid),
                bodies=q("SELECT id, name FROM body WHERE tenant_id = ? ORDER BY position, name", tid),
                functions=[(r[0], f"{r[1] or ''} {r[2][:90]}".strip()) for r in q(
                    "SELECT id, clause, text FROM function WHERE tenant_id = ? ORDER BY position, id", tid)],
                forms=q("SELECT id, name FROM work_form WHERE tenant_id = ? ORDER BY position, name", tid),
                base=f"/{slug}/plans/{year}/")


def _bodies(q, tid):
    heads = {r[0]: _short(r[1], r[2], r[3]) for r in q(
        "SELECT m.body_id, p.last_name, p.first_name, p.middle_name FROM body_member m JOIN person p ON "
        "p.id = m.person_id WHERE m.tenant_id = ? AND m.role IN ('leader', 'chair')", tid)}
    members = dict(q("SELECT body_id, count(*) FROM body_member WHERE tenant_id = ? GROUP BY body_id", tid))
    return [dict(r, head=heads.get(r["id"]), members=members.get(r["id"], 0), children=[]) for r in q(
        "SELECT b.id, b.name, b.parent_id, b.clause, b.school_id, k.name AS kind, k.category, k.level, "
        "coalesce(nullif(s.short_name, ''), s.name) AS school FROM body b JOIN body_kind k ON k.id = b.kind_id "
        "LEFT JOIN school s ON s.id = b.school_id WHERE b.tenant_id = ? ORDER BY b.position, b.id", tid)]


@bare_view("structure")
@_path("structure/")
def bare_structure(page, q, slug):
    tid = _tid(q, slug)
    bodies = _bodies(q, tid)
    by_id = {b["id"]: b for b in bodies}
    roots = []
    for b in bodies:
        b["href"] = f"/{slug}/{'council' if b['category'] == 'council' else 'associations'}/{b['id']}/"
        (by_id[b["parent_id"]]["children"] if b["parent_id"] in by_id else roots).append(b)
    by_school = {}
    for b in roots:
        if b["level"] == "school":
            by_school.setdefault(b["school"] or "Организация не указана", []).append(b)
    return page(slug, "structure", all=bodies, municipal=[b for b in roots if b["level"] != "school"],
                by_school=sorted(by_school.items()),
                kinds=q("SELECT id, name FROM body_kind WHERE tenant_id = ? ORDER BY level, position, id", tid),
                schools=q("SELECT id, coalesce(nullif(short_name, ''), name) FROM school WHERE tenant_id = ? "
                          "ORDER BY name", tid))


MEMBER_ROLES = {"chair": "Председатель", "deputy": "Заместитель председателя", "secretary": "Секретарь", "member": "Член",
                "leader": "Руководитель"}


def _fold(text):
    return " ".join((text or "").split()).casefold().replace("ё", "е")


@bare_view("council")
@_path("council/")
def bare_council(page, q, slug):
    """The council's page as OMS shows it to an admin: its order and earlier compositions, meetings with counts of
    decisions in work and overdue, the open decisions, the members, seats by position, proposals for the agenda."""
    import json

    from flask import session as cookie

    tid = _tid(q, slug)
    now = today().isoformat()
    tenant = q("SELECT terms, catalogues FROM tenant WHERE id = ?", tid)[0]
    terms, catalogues = json.loads(tenant["terms"] or "{}"), json.loads(tenant["catalogues"] or "{}")
    councils = q("SELECT b.id, b.name FROM body b JOIN body_kind k ON k.id = b.kind_id WHERE b.tenant_id = ? AND "
                 "k.category = 'council' ORDER BY b.position, b.id", tid)
    body = q("SELECT b.*, k.name AS kind FROM body b JOIN body_kind k ON k.id = b.kind_id WHERE b.tenant_id = ? AND "
             "b.id = ?", tid, councils[0]["id"])[0]
    members = q("SELECT m.id, m.person_id, m.role, m.role_title, p.school_id, p.last_name, p.first_name, p.middle_name, "
                "p.last_name || ' ' || p.first_name || "
                "coalesce(' ' || nullif(p.middle_name, ''), '') AS name, p.position, coalesce(nullif(s.short_name, ''), "
                "s.name) AS school FROM body_member m JOIN person p ON p.id = m.person_id LEFT JOIN school s ON "
                "s.id = p.school_id WHERE m.tenant_id = ? AND m.body_id = ? ORDER BY CASE m.role WHEN 'chair' THEN 0 "
                "WHEN 'deputy' THEN 1 WHEN 'secretary' THEN 2 ELSE 3 END, p.last_name, p.first_name, p.middle_name",
                tid, body["id"])
    meetings = q("SELECT m.id, m.number, m.held_on, m.topic, m.is_held, count(d.id) AS total, coalesce(sum(d.status = "
                 "'open'), 0) AS open, coalesce(sum(d.status = 'open' AND d.due_date < ?), 0) AS overdue FROM meeting m "
                 "LEFT JOIN decision d ON d.meeting_id = m.id WHERE m.tenant_id = ? AND m.body_id = ? GROUP BY m.id "
                 "ORDER BY m.held_on DESC, m.id DESC", now, tid, body["id"])
    decisions = [dict(d, overdue=bool(d["due_date"] and d["due_date"] < now)) for d in q(
        "SELECT d.text, d.due_date, d.meeting_id, m.number, m.held_on, p.last_name || ' ' || p.first_name || "
        "coalesce(' ' || nullif(p.middle_name, ''), '') AS person FROM decision d JOIN meeting m ON m.id = d.meeting_id "
        "LEFT JOIN person p ON p.id = d.responsible_id WHERE d.tenant_id = ? AND m.body_id = ? AND d.status = 'open' "
        "ORDER BY d.due_date IS NULL, d.due_date, d.id", tid, body["id"])]
    orders = [dict(o, composition=json.loads(o["composition"] or "null")) for o in q(
        "SELECT id, number, issued_on, is_current, composition FROM document WHERE tenant_id = ? AND kind = "
        "'composition' AND body_id = ? ORDER BY is_current DESC, issued_on IS NULL, issued_on DESC, id DESC",
        tid, body["id"])]
    files = {}
    if orders:
        for f in q(f"SELECT id, document_id, filename FROM document_file WHERE document_id IN "
                   f"({','.join('?' * len(orders))}) ORDER BY id", *[o["id"] for o in orders]):
            files.setdefault(f["document_id"], []).append(f)
    current = next((o for o in orders if o["is_current"]), None)
    composition = []
    rules = q("SELECT id, title, per_school FROM composition_rule WHERE tenant_id = ? AND body_id = ? ORDER BY position, "
              "id", tid, body["id"])
    if rules:
        schools = q("SELECT id, coalesce(nullif(short_name, ''), name) FROM school WHERE tenant_id = ? AND kind = "
                    "'school' ORDER BY short_name, name", tid)
        for rule in rules:
            key = _fold(rule["title"])
            holders = [m for m in members if key and key in _fold(m["role_title"])]
            covered = {m["school_id"] for m in holders}
            composition.append(dict(rule, holders=[_short(m["last_name"], m["first_name"], m["middle_name"])
                                                                 for m in holders],
                                    missing=[s[1] for s in schools if s[0] not in covered] if rule["per_school"] else []))
    proposals = q("SELECT a.id, a.title, a.speaker, a.status, a.created_at, b.name AS from_body, u.full_name AS proposer, "
                  "m.number FROM agenda_proposal a LEFT JOIN body b ON b.id = a.from_body_id LEFT JOIN user u ON "
                  "u.id = a.proposed_by_id LEFT JOIN meeting m ON m.id = a.meeting_id WHERE a.tenant_id = ? AND "
                  "a.body_id = ? ORDER BY a.status != 'proposed', a.created_at DESC LIMIT 30", tid, body["id"])
    open_meetings = q("SELECT id, number, held_on FROM meeting WHERE tenant_id = ? AND body_id = ? AND NOT is_held "
                      "ORDER BY held_on", tid, body["id"])
    led = q("SELECT b.id, b.name FROM body b JOIN body_member m ON m.body_id = b.id JOIN person p ON p.id = m.person_id "
            "WHERE p.user_id = ? AND m.role IN ('leader', 'chair') AND b.tenant_id = ? ORDER BY b.name",
            cookie.get("uid"), tid)
    main = councils[0]["id"] == body["id"]
    return page(slug, "council", body=body, councils=councils, members=members, meetings=meetings,
                decisions=decisions, overdue=sum(d["overdue"] for d in decisions), current=current,
                earlier=[o for o in orders if o is not current], files=files, composition=composition,
                proposals=proposals, open_meetings=open_meetings, led=led, catalogues=catalogues,
                heading=terms.get("council", "Методический совет") if main else body["name"],
                meetings_of=terms.get("council_short", "Методсовет"), roles=MEMBER_ROLES, base=f"/{slug}/council/{body['id']}/")


CONTEST_TABS = """<nav class="tabs"><a href="/{{ t.slug }}/contests/">Конкурсы</a><a href="/{{ t.slug }}/olympiads/">Олимпиады
(ВсОШ)</a><a href="/{{ t.slug }}/contests/mine">Мои конкурсы и ученики</a><a href="/{{ t.slug }}/olympiads/analytics">Аналитика</a>
{% if u.role in ("admin", "methodist") %}<a href="/{{ t.slug }}/contests/coordinators">Координаторы школ</a>{% endif %}</nav>"""

CONTESTS = """{% extends "layout" %}{% block content %}<h1>Конкурсы {{ year }}/{{ year + 1 }}</h1>
{% if u.role in ("admin", "methodist") %}<a href="/{{ t.slug }}/contests/new">Новый конкурс</a>{% endif %}""" + CONTEST_TABS + """
<form class="filters" action="/{{ t.slug }}/contests/"><input type="search" name="q" value="{{ q }}" placeholder="Поиск по названию">
<label>Учебный год <input type="number" name="year" value="{{ year }}"></label><button>Найти</button></form>
{% if rows %}<table class="table"><thead><tr><th>Конкурс</th><th>Вид</th><th>Уровень</th><th>Заявок</th></tr></thead><tbody>
{% for c in rows %}<tr><td><a href="/{{ t.slug }}/contests/{{ c.id }}/">{{ c.title }}</a>{% if not c.is_own %} <span>внешний</span>
{% endif %}</td><td>{{ kinds.get(c.kind, c.kind) }}</td><td>{{ levels.get(c.level, c.level) }}</td><td>{{ c.entries }}</td></tr>
{% endfor %}</tbody></table>{% if total > 30 %}<nav class="pager">{{ total }}</nav>{% endif %}
{% else %}<div class="empty"><p>Конкурсов в этом учебном году нет.</p></div>{% endif %}{% endblock %}"""

OLYMPIADS = """{% extends "layout" %}{% block content %}<h1>Всероссийская олимпиада школьников</h1>""" + CONTEST_TABS + """
{% if seasons %}<ul>{% for s in seasons %}<li><a href="/{{ t.slug }}/olympiads/{{ s.id }}">{{ s.start_year }}/{{ s.start_year + 1 }}</a>
— {{ s.title }}</li>{% endfor %}</ul>{% else %}<div class="empty"><p>Сезонов олимпиады ещё нет.</p></div>{% endif %}
{% if u.role in ("admin", "methodist") %}<form method="post" action="/{{ t.slug }}/olympiads/new"><input type="hidden"
name="csrf_token" value="{{ csrf }}"><input type="hidden" name="form_token" value="{{ csrf }}"><label for="start_year">Учебный год
(год начала)</label><input id="start_year" name="start_year" type="number" required><button>Открыть сезон</button></form>
{% endif %}{% endblock %}"""

SURVEYS = """{% extends "layout" %}{% block content %}<h1>Анкеты и мониторинг потребностей</h1>
<a href="/{{ t.slug }}/surveys/new">Новая анкета</a><form class="filters"><input type="search" name="q" value="{{ q }}"
placeholder="Название"><button>Найти</button></form>{% if rows %}<table class="table"><thead><tr><th>Анкета</th><th>Сроки</th>
<th>Состояние</th><th>Ответов</th><th></th></tr></thead><tbody>{% for s in rows %}<tr><td><a href="/{{ t.slug }}/surveys/{{ s.id }}/">
{{ s.title }}</a><div>{{ purposes.get(s.purpose) }}{% if s.is_anonymous %} · анонимная{% endif %}</div></td>
<td>{{ s.opens }}{% if s.closes %} — {{ s.closes }}{% endif %}</td><td><span class="badge">{{ states[s.state] }}</span></td>
<td>{{ s.answers }}</td><td><a href="/{{ t.slug }}/surveys/{{ s.id }}/results">Результаты</a></td></tr>{% endfor %}</tbody></table>
{% if total > 30 %}<nav class="pager">{{ total }}</nav>{% endif %}{% else %}<div class="empty"><p>Анкет пока нет.</p></div>
{% endif %}{% endblock %}"""

TEMPLATES = {"contests": CONTESTS, "olympiads": OLYMPIADS, "surveys": SURVEYS}
KINDS = {"teachers": "Конкурс для педагогов", "pupils": "Конкурс для обучающихся", "olympiad": "Олимпиада",
         "conference": "Научно-практическая конференция обучающихся"}
LEVELS = {"school": "Школьный", "municipal": "Муниципальный", "regional": "Региональный", "federal": "Всероссийский"}
PURPOSES = {"needs": "Мониторинг потребностей", "pd": "Запрос на повышение квалификации",
            "feedback": "Обратная связь по мероприятию", "self_analysis": "Самоанализ / диагностика", "other": "Другое"}
SURVEY_STATES = {"draft": "Черновик", "scheduled": "Ещё не открыта", "open": "Идёт приём ответов", "closed": "Завершена"}


def _ru(iso):
    return f"{iso[8:10]}.{iso[5:7]}.{iso[:4]}" if iso else ""


@bare_view("contests")
@_path("contests/")
def bare_contests(page, q, slug):
    from flask import request

    tid = _tid(q, slug)
    now = today()
    year = request.args.get("year", type=int) or (now.year if now.month >= 9 else now.year - 1)
    where = "c.tenant_id = ? AND NOT c.is_vsosh AND c.start_year = ?"
    rows = q(f"SELECT c.id, c.title, c.kind, c.level, c.is_own, (SELECT count(*) FROM entry e WHERE e.competition_id = "
             f"c.id) AS entries FROM competition c WHERE {where} ORDER BY c.title LIMIT 30", tid, year)
    total = q(f"SELECT count(*) FROM competition c WHERE {where}", tid, year)[0][0] if len(rows) == 30 else len(rows)
    return page(slug, "contests", rows=rows, total=total, year=year, q=request.args.get("q", ""), kinds=KINDS,
                levels=LEVELS)


@bare_view("olympiads")
@_path("olympiads/")
def bare_olympiads(page, q, slug):
    tid = _tid(q, slug)
    return page(slug, "olympiads", seasons=q("SELECT id, start_year, title FROM competition WHERE tenant_id = ? AND "
                                             "is_vsosh ORDER BY start_year DESC", tid))


@bare_view("surveys")
@_path("surveys/")
def bare_surveys(page, q, slug):
    from flask import request

    tid = _tid(q, slug)
    now = today().isoformat()
    rows = [dict(r, opens=_ru(r["opens_on"]), closes=_ru(r["closes_on"]),
                 state="draft" if not r["opens_on"] else "scheduled" if now < r["opens_on"] else
                 "closed" if r["closes_on"] and now > r["closes_on"] else "open")
            for r in q("SELECT s.id, s.title, s.purpose, s.is_anonymous, s.opens_on, s.closes_on, (SELECT count(*) FROM "
                       "survey_respondent r WHERE r.survey_id = s.id) AS answers FROM survey s WHERE s.tenant_id = ? "
                       "ORDER BY s.id DESC LIMIT 30", tid)]
    total = q("SELECT count(*) FROM survey WHERE tenant_id = ?", tid)[0][0] if len(rows) == 30 else len(rows)
    return page(slug, "surveys", rows=rows, total=total, q=request.args.get("q", ""), purposes=PURPOSES,
                states=SURVEY_STATES)


DOC_COLLECTIONS = {"service": "Документы службы", "normative": "Нормативные документы",
                   "methodical": "Методические материалы и рекомендации", "literature": "Новинки литературы"}
DOC_KINDS = {"regulation": "Положение", "order": "Приказ", "composition": "Состав совета", "plan": "План",
             "analysis": "Анализ", "agreement": "Соглашение", "job_description": "Должностная инструкция",
             "recommendations": "Методические рекомендации", "letter": "Письмо", "material": "Методический материал",
             "book": "Издание (книга, пособие)", "other": "Иной документ"}
DOC_STATUSES = {"active": "действует", "pending": "не вступил в силу", "lapsed": "утратил силу"}
DOC_BADGES = {"active": "badge--ok", "pending": "badge--accent", "lapsed": "badge--muted"}

DOCUMENTS = """{% extends "layout" %}{% block content %}<h1>Документы и банк педагогической информации</h1>
<a href="/public/{{ t.slug }}/documents/">Публичная страница района</a>{% if manage %}<a href="/{{ t.slug }}/documents/new">Добавить
документ</a>{% endif %}<nav class="tabs"><a href="/{{ t.slug }}/documents/" aria-current="page">Все документы</a>
<a href="/{{ t.slug }}/documents/checklist">Обязательные документы</a><a href="/{{ t.slug }}/documents/news/">Новинки</a></nav>
<form class="filters" action="/{{ t.slug }}/documents/" hx-get="/{{ t.slug }}/documents/" hx-target="#documents-table">
<input type="search" name="q" value="{{ q }}" placeholder="Поиск по названию, номеру, предмету, ключевым словам">
<select name="collection"><option value="">Все разделы</option>{% for k, v in collections.items() %}<option value="{{ k }}">{{ v }}
</option>{% endfor %}</select><select name="kind"><option value="">Все виды</option>{% for k, v in kinds.items() %}<option
value="{{ k }}">{{ v }}</option>{% endfor %}</select><select name="status"><option value="">Текущие редакции</option>{% for k, v in
statuses.items() %}<option value="{{ k }}">{{ v }}</option>{% endfor %}<option value="all">Все редакции</option></select></form>
<div id="documents-table">{% if rows %}<p>Найдено: {{ total }} <a href="/{{ t.slug }}/documents/export.xlsx">Опись документов
(XLSX)</a></p><table class="table"><thead><tr><th>Документ</th><th>Вид</th><th>Реквизиты</th><th>Статус</th></tr></thead><tbody>
{% for d in rows %}<tr><td><a href="/{{ t.slug }}/documents/{{ d.id }}/">{{ d.title }}</a><div>{{ collections[d.collection] }}
{% if d.subject %} · {{ d.subject }}{% endif %}{% if d.version_no > 1 %} · редакция {{ d.version_no }}{% endif %}</div></td>
<td>{{ kinds.get(d.kind, d.kind) }}</td><td>{{ d.act or "—" }}{% if d.issuer %}<div>{{ d.issuer }}</div>{% endif %}</td>
<td><span class="badge {{ badges[d.status] }}">{{ statuses[d.status] }}</span>{% if d.visibility == "service" %}<span
class="badge">только служба</span>{% endif %}</td></tr>{% endfor %}</tbody></table>{% if total > 30 %}<nav class="pager">{{ total }}
</nav>{% endif %}{% else %}<div class="empty"><p>Документов пока нет.</p></div>{% endif %}</div>{% endblock %}"""
TEMPLATES["documents"] = DOCUMENTS


@bare_view("documents")
@_path("documents/")
def bare_documents(page, q, slug):
    from flask import request, session as cookie

    tid = _tid(q, slug)
    role = q("SELECT role FROM user WHERE id = ?", cookie.get("uid"))[0][0]
    manage = role in ("admin", "methodist")
    where = "tenant_id = ? AND is_current" + ("" if manage else " AND visibility IN ('district', 'public')")
    now = today().isoformat()
    rows = []
    for r in q(f"SELECT id, title, collection, subject, version_no, kind, issued_on, number, issuer, visibility, "
               f"is_current, valid_from, valid_to FROM document WHERE {where} ORDER BY CASE collection WHEN 'service' "
               f"THEN 0 WHEN 'normative' THEN 1 WHEN 'methodical' THEN 2 WHEN 'literature' THEN 3 ELSE 4 END, "
               f"issued_on IS NULL, issued_on DESC, title, id DESC LIMIT 30", tid):
        status = ("lapsed" if not r["is_current"] or (r["valid_to"] and r["valid_to"] < now) else
                  "pending" if r["valid_from"] and r["valid_from"] > now else "active")
        act = " ".join(([f"от {_ru(r['issued_on'])}"] if r["issued_on"] else []) +
                       ([f"№ {r['number']}"] if r["number"] else []))
        rows.append(dict(r, status=status, act=act))
    total = q(f"SELECT count(*) FROM document WHERE {where}", tid)[0][0]
    return page(slug, "documents", rows=rows, total=total, manage=manage, q=request.args.get("q", ""),
                collections=DOC_COLLECTIONS, kinds=DOC_KINDS, statuses=DOC_STATUSES, badges=DOC_BADGES)


PR_LEVELS = {"preschool": "Дошкольное образование", "primary": "Начальное общее образование",
             "basic": "Основное общее образование", "secondary": "Среднее общее образование",
             "additional": "Дополнительное образование"}
PR_KINDS = {"lesson": "Урок (занятие)", "development": "Методическая разработка", "programme": "Программа",
            "system": "Система работы", "management": "Управленческая практика",
            "support": "Практика методического сопровождения"}

PRACTICES = """{% extends "layout" %}{% block content %}<h1>Банк педагогического опыта</h1>
<a href="/{{ t.slug }}/practices/new">Предложить практику</a>{% if manage %}<a href="/{{ t.slug }}/practices/export.xlsx">Реестр
практик (XLSX)</a>{% endif %}<nav class="tabs"><a href="/{{ t.slug }}/practices/" aria-current="page">Каталог</a>
<a href="/{{ t.slug }}/practices/work/">{% if manage %}В работе{% else %}Мои практики{% endif %}</a><a href="/{{ t.slug
}}/practices/reviews/">На экспертизе у меня</a><a href="/{{ t.slug }}/practices/rubric/">Критерии экспертизы</a>{% if manage %}<a
href="/{{ t.slug }}/practices/stats/">Итоги</a>{% endif %}</nav>
<form class="filters" action="/{{ t.slug }}/practices/" hx-get="/{{ t.slug }}/practices/" hx-target="#catalogue">
<input type="search" name="q" value="{{ q }}" placeholder="Поиск по названию, ключевым словам, авторам">
<select name="subject"><option value="">Все предметы</option>{% for s in subjects %}<option value="{{ s }}">{{ s }}</option>
{% endfor %}</select><select name="level"><option value="">Все уровни</option>{% for k, v in levels.items() %}<option value="{{ k }}">
{{ v }}</option>{% endfor %}</select><select name="kind"><option value="">Все виды</option>{% for k, v in kinds.items() %}<option
value="{{ k }}">{{ v }}</option>{% endfor %}</select><select name="school"><option value="">Все организации</option>{% for s in
schools %}<option value="{{ s[0] }}">{{ s[1] }}</option>{% endfor %}</select><select name="year"><option value="">Все годы</option>
{% for y in years %}<option value="{{ y }}">{{ y }}/{{ y + 1 }}</option>{% endfor %}</select><select name="area"><option value="">Все
области компетенций</option>{% for a in areas %}<option value="{{ a[0] }}">{{ a[1] }}</option>{% endfor %}</select></form>
<div id="catalogue">{% if rows %}<ul class="practice-list">{% for p in rows %}<li class="card"><h2><a href="/{{ t.slug }}/practices/{{
p.id }}/">{{ p.title }}</a></h2><p>{{ p.authors|join(", ") }}{% if p.school %} · {{ p.school }}{% endif %}</p><p>{{
kinds.get(p.kind, "") }} · {{ levels.get(p.level, "") }}{% if p.subjects %} · {{ p.subjects }}{% endif %} · {{ p.start_year }}/{{
p.start_year + 1 }}</p>{% if p.areas %}<p>{% for a in p.areas %}<span class="badge">{{ a }}</span> {% endfor %}</p>{% endif %}
{% if p.annotation %}<p>{{ p.annotation|truncate(300) }}</p>{% endif %}</li>{% endfor %}</ul>{% if total > 30 %}<nav class="pager">
{{ total }}</nav>{% endif %}{% else %}<div class="empty"><p>Опубликованных практик пока нет.</p></div>{% endif %}</div>{% endblock %}"""
TEMPLATES["practices"] = PRACTICES


@bare_view("practices")
@_path("practices/")
def bare_practices(page, q, slug):
    from flask import request, session as cookie

    tid = _tid(q, slug)
    role = q("SELECT role FROM user WHERE id = ?", cookie.get("uid"))[0][0]
    rows = [dict(r, authors=[], areas=[]) for r in q(
        "SELECT p.id, p.title, p.kind, p.level, p.subjects, p.start_year, p.annotation, coalesce(nullif(s.short_name, "
        "''), s.name) AS school FROM practice p LEFT JOIN school s ON s.id = p.school_id WHERE p.tenant_id = ? AND "
        "p.status = 'published' ORDER BY p.published_at DESC, p.id DESC LIMIT 30", tid)]
    by_id = {r["id"]: r for r in rows}
    marks = ",".join("?" * len(by_id))
    if by_id:
        for practice_id, last, first, middle in q(
                f"SELECT a.practice_id, p.last_name, p.first_name, p.middle_name FROM practice_author a JOIN person p ON "
                f"p.id = a.person_id WHERE a.practice_id IN ({marks}) ORDER BY a.position", *by_id):
            by_id[practice_id]["authors"].append(" ".join(x for x in (last, first, middle) if x))
        for practice_id, name in q(f"SELECT pa.practice_id, a.name FROM practice_area pa JOIN competence_area a ON "
                                   f"a.id = pa.area_id WHERE pa.practice_id IN ({marks}) ORDER BY pa.id", *by_id):
            by_id[practice_id]["areas"].append(name)
    total = q("SELECT count(*) FROM practice WHERE tenant_id = ? AND status = 'published'", tid)[0][0]
    subjects = sorted({x.strip() for (row,) in q("SELECT DISTINCT subjects FROM practice WHERE tenant_id = ? AND "
                                                 "status = 'published' AND subjects != ''", tid)
                       for x in row.split(";") if x.strip()})
    return page(slug, "practices", rows=rows, total=total, manage=role in ("admin", "methodist"),
                q=request.args.get("q", ""), subjects=subjects, levels=PR_LEVELS, kinds=PR_KINDS,
                schools=q("SELECT id, coalesce(nullif(short_name, ''), name) FROM school WHERE tenant_id = ? "
                          "ORDER BY short_name, name", tid),
                years=[r[0] for r in q("SELECT DISTINCT start_year FROM practice WHERE tenant_id = ? AND status = "
                                       "'published' ORDER BY 1 DESC", tid)],
                areas=q("SELECT id, name FROM competence_area WHERE tenant_id = ? ORDER BY position, name", tid))


CALENDAR = """{% extends "layout" %}{% block content %}{% set args = "&kind=&body=&school=&view=month" %}<div class="pagehead"><h1>Календарь:
{{ month_label|capitalize }} {{ first.year }}</h1><a class="btn" href="/{{ t.slug }}/calendar/?month={{ prev }}{{ args }}"
aria-label="Предыдущий месяц">←</a><a class="btn" href="/{{ t.slug }}/calendar/?kind=&amp;body=&amp;school=&amp;view=month&amp;month={{
now[:7] }}">Сегодня</a><a class="btn" href="/{{ t.slug }}/calendar/?month={{ next }}{{ args }}" aria-label="Следующий месяц">→</a></div>
<form class="filters" method="get" action="/{{ t.slug }}/calendar/"><input type="hidden" name="month" value="{{ first.isoformat()[:7]
}}"><label for="c-view">Вид</label><select id="c-view" name="view"><option value="month">месяц</option><option
value="list">список</option></select><label for="c-kind">Что</label><select id="c-kind" name="kind"><option value="">всё</option>{% for
k, v in sources.items() %}<option value="{{ k }}">{{ v }}</option>{% endfor %}</select><label for="c-body">Объединение, совет</label><select
id="c-body" name="body"><option value="">все</option>{% for b in bodies %}<option value="{{ b[0] }}">{{ b[1] }}</option>{% endfor
%}</select><label for="c-school">Школа</label><select id="c-school" name="school"><option value="">все</option>{% for s in schools
%}<option value="{{ s[0] }}">{{ s[1] }}</option>{% endfor %}</select><button class="btn" type="submit">Показать</button></form>
{% macro entry(e) %}<a class="cal-entry cal-entry--{{ e.kind }}{% if e.cancelled %} cal-entry--cancelled{% endif %}" href="{{ e.url
}}">{% if e.time %}{{ e.time }} {% endif %}{{ e.title }}</a>{% endmacro %}
<div class="tablewrap"><table class="cal-grid" id="calendar-month"><thead><tr>{% for d in weekdays %}<th scope="col">{{ d }}</th>{%
endfor %}</tr></thead><tbody>{% for week in weeks %}<tr>{% for day in week %}<td class="{% if day.month != first.month %}cal-out{% endif
%}{% if day.isoformat() == now %} cal-today{% endif %}"><div class="small">{{ day.day }}</div>{% for e in by_day.get(day.isoformat(), [])
%}{{ entry(e) }}{% endfor %}</td>{% endfor %}</tr>{% endfor %}</tbody></table></div>
<div class="cal-list-mobile" id="calendar-list">{% if in_month %}<ul class="list">{% for e in in_month %}<li><strong>{{ ru(e.day)
}}</strong> {{ entry(e) }}{% if e.where %} <span class="small muted">{{ e.where }}</span>{% endif %}{% if e.cancelled %} <span class="badge
badge--err">отменено</span>{% endif %}</li>{% endfor %}</ul>{% else %}<div class="empty"><p>В этом месяце ничего не назначено.</p></div>
{% endif %}</div>
<section class="card" id="feeds"><h2>Подписка на календарь</h2><p>Календарь можно добавить в телефон или почту (Яндекс, Google, Outlook)
по ссылке в формате iCalendar (.ics): изменения и отмены придут сами.</p><p>Открытые мероприятия района (без входа): <a
href="http://localhost/ical/district/{{ t.slug }}.ics">http://localhost/ical/district/{{ t.slug }}.ics</a></p>{% if feed %}<p>Ваш
личный календарь: <input type="text" readonly value="http://localhost/ical/{{ feed }}.ics" aria-label="Ссылка на личный календарь"
size="60"></p><form method="post" action="/{{ t.slug }}/calendar/feed/revoke" class="inline" data-confirm="Отозвать ссылку?"><input
type="hidden" name="csrf_token" value="{{ csrf }}"><input type="hidden" name="form_token" value="{{ token() }}"><button class="btn"
type="submit">Отозвать ссылку</button></form>{% endif %}<form method="post" action="/{{ t.slug }}/calendar/feed"><input type="hidden"
name="csrf_token" value="{{ csrf }}"><input type="hidden" name="form_token" value="{{ token() }}"><button class="btn" type="submit">{% if
feed %}Выдать новую ссылку{% else %}Получить ссылку на личный календарь{% endif %}</button></form></section>{% endblock %}"""
TEMPLATES["calendar"] = CALENDAR
CAL_SOURCES = {"plan_item": "Мероприятия плана", "meeting": "Заседания", "consultation_day": "Консультационные дни",
               "contest_stage": "Этапы конкурсов и олимпиад", "event": "Мероприятия"}
EVENT_KINDS = {"seminar": "Семинар", "master_class": "Мастер-класс", "conference": "Конференция",
               "readings": "Педагогические чтения", "open_lesson": "Открытый урок", "internship": "Стажировка",
               "webinar": "Вебинар", "round_table": "Круглый стол", "other": "Другое"}


@bare_view("calendar")
@_path("calendar/")
def bare_calendar(page, q, slug):
    """This month's grid as OMS shows it: every source's rows of the weeks shown (plan items with dates, meetings,
    consultation days, contest stages, events), the month's list, the filters and the feeds."""
    from flask import session as cookie

    from flask import request

    tid = _tid(q, slug)
    today_ = today()
    asked = request.args.get("month", "")
    now = date(int(asked[:4]), int(asked[5:7]), 1) if len(asked) == 7 else today_
    first = date(now.year, now.month, 1)
    start = first - timedelta(days=first.weekday())
    nxt = date(now.year + (now.month == 12), now.month % 12 + 1, 1)
    weeks, day = [], start
    while day < nxt or day.weekday() != 0:
        if day.weekday() == 0:
            weeks.append([])
        weeks[-1].append(day)
        day += timedelta(days=1)
    lo, hi = weeks[0][0].isoformat(), weeks[-1][-1].isoformat()
    found = []
    for r in q("SELECT i.id, i.title, i.date_from, i.status, p.start_year FROM plan_item i JOIN plan p ON p.id = i.plan_id "
               "WHERE i.tenant_id = p.tenant_id AND p.tenant_id = ? AND i.date_from IS NOT NULL AND i.date_from <= ? AND "
               "coalesce(i.date_to, i.date_from) >= ? ORDER BY i.date_from, i.id", tid, hi, lo):
        found.append(dict(kind="plan_item", title=r["title"], day=r["date_from"], time="", where="",
                          cancelled=r["status"] == "cancelled",
                          url=f"/{slug}/plans/{r['start_year']}-{r['start_year'] + 1}/#item-{r['id']}"))
    for r in q("SELECT m.id, m.number, m.held_on, m.topic, m.venue, m.body_id, b.name FROM meeting m JOIN body b ON "
               "b.id = m.body_id WHERE m.tenant_id = ? AND m.held_on >= ? AND m.held_on <= ? ORDER BY m.held_on, m.id",
               tid, lo, hi):
        found.append(dict(kind="meeting", day=r["held_on"], time="", where=r["venue"] or "", cancelled=False,
                          title=f"{r['name']}: заседание № {r['number']} от {_ru(r['held_on'])}"
                                + (f" — {r['topic']}" if r["topic"] else ""),
                          url=f"/{slug}/council/{r['body_id']}/meetings/{r['id']}/"))
    days = {}
    for r in q("SELECT s.consultant_id, s.starts_at, s.minutes, s.place, p.last_name || ' ' || p.first_name || ' ' || "
               "p.middle_name AS name FROM consultation_slot s JOIN person p ON p.id = s.consultant_id WHERE "
               "s.tenant_id = ? AND s.starts_at >= ? AND s.starts_at <= ? ORDER BY s.starts_at, s.id",
               tid, lo, hi + " 23:59:59.999999"):
        days.setdefault((r["consultant_id"], r["starts_at"][:10]), []).append(r)
    for (_, d), rows in days.items():
        found.append(dict(kind="consultation_day", day=d, time=rows[0]["starts_at"][11:16], cancelled=False,
                          title=f"Консультационный день: {rows[0]['name']}", url=f"/{slug}/consultations/",
                          where="; ".join(sorted({r["place"] for r in rows if r["place"]}))[:300]))
    for r in q("SELECT s.date_from, s.venue, s.kind, c.id, c.title, c.is_vsosh, c.start_year FROM stage s JOIN competition c "
               "ON c.id = s.competition_id WHERE s.tenant_id = ? AND s.date_from IS NOT NULL AND s.date_from <= ? AND "
               "coalesce(s.date_to, s.date_from) >= ? ORDER BY s.date_from, s.id", tid, hi, lo):
        found.append(dict(kind="contest_stage", day=r["date_from"], time="", where=r["venue"] or "", cancelled=False,
                          title=f"{r['kind']}: олимпиада {r['start_year']}/{r['start_year'] + 1}" if r["is_vsosh"]
                          else r["title"], url=f"/{slug}/contests/{r['id']}/"))
    for r in q("SELECT id, kind, title, starts_at, address, online_url, venue_school_id, status FROM event WHERE "
               "tenant_id = ? AND starts_at <= ? AND ends_at >= ? ORDER BY starts_at, id", tid, hi + " 23:59:59.999999",
               lo):
        found.append(dict(kind="event", day=max(r["starts_at"][:10], lo), time=r["starts_at"][11:16],
                          where=r["address"] or (r["online_url"] if not r["venue_school_id"] else ""),
                          cancelled=r["status"] == "cancelled", url=f"/{slug}/events/{r['id']}/",
                          title=f"{EVENT_KINDS.get(r['kind'], r['kind'])}: {r['title']}"))
    found.sort(key=lambda e: (e["day"], e["time"], e["title"]))
    by_day = {}
    for e in found:
        by_day.setdefault(max(e["day"], lo), []).append(e)
    month = first.isoformat()[:7]
    feed = q("SELECT calendar_token FROM user WHERE id = ?", cookie.get("uid"))[0][0]
    return page(slug, "calendar", first=first, weeks=weeks, by_day=by_day, now=today_.isoformat(), feed=feed,
                in_month=[e for e in found if e["day"][:7] == month], month_label=MONTHS[now.month],
                prev=f"{now.year - (now.month == 1)}-{(now.month - 2) % 12 + 1:02d}",
                next=f"{now.year + (now.month == 12)}-{now.month % 12 + 1:02d}", sources=CAL_SOURCES,
                weekdays=("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"),
                bodies=q("SELECT b.id, b.name FROM body b JOIN body_kind k ON k.id = b.kind_id WHERE b.tenant_id = ? AND "
                         "k.category != 'service' ORDER BY b.position, b.name", tid),
                schools=q("SELECT id, coalesce(nullif(short_name, ''), name) FROM school WHERE tenant_id = ? ORDER BY "
                          "short_name, name", tid))


CONSULTATIONS = """{% extends "layout" %}{% block content %}{% macro picker(name, label, chosen=None) %}<div class="field picker"
data-picker data-name="{{ name }}" data-multiple="false" data-remove-text="убрать" data-remove-label="Убрать: {name}"><label for="{{
name }}">{{ label }}</label><ul class="picker__chips" aria-label="Выбраны">{% if chosen %}<li class="chip"><span>{{ chosen[1] }}</span><input
type="hidden" name="{{ name }}" value="{{ chosen[0] }}"><button type="button" class="chip__remove" data-picker-remove aria-label="Убрать: {{
chosen[1] }}">убрать</button></li>{% endif %}</ul><input type="search" id="{{ name }}" name="pick_q" form="picker-nowhere"
autocomplete="off" spellcheck="false" class="picker__input" role="combobox" aria-autocomplete="list" aria-expanded="false"
aria-controls="{{ name }}-options" placeholder="Найти: фамилия…" hx-get="/{{ t.slug }}/people/pick" hx-trigger="input delay:250ms,
search" hx-target="next .picker__results" hx-swap="innerHTML" hx-push-url="false" hx-sync="this:replace" data-picker-input><div
class="picker__results" id="{{ name }}-options"></div></div>{% endmacro %}{% macro select(name, label, options, blank, chosen="") %}<div
class="field"><label for="{{ name }}">{{ label }}</label><select id="{{ name }}" name="{{ name }}">{% if blank %}<option selected
value="">{{ blank }}</option>{% endif %}{% for k, v in options %}<option {% if k == chosen %}selected {% endif %}value="{{ k }}">{{ v
}}</option>{% endfor %}</select></div>{% endmacro %}
<div class="pagehead"><h1>Консультации</h1><div class="actions"><a class="btn btn--primary" href="{{ base }}new">Новая консультация</a><a
class="btn" href="{{ base }}journal">Журнал для печати</a><a class="btn" href="{{ base }}export.xlsx">Журнал в XLSX</a></div></div>
<nav class="tabs" aria-label="Консультации"><a href="{{ base }}" aria-current="page">Журнал</a><a href="{{ base }}stats">Статистика</a><a
href="{{ base }}slots/">Консультационные дни</a><a href="{{ base }}categories/">Категории вопросов</a></nav>
<form id="quick-add" class="card quickadd" method="post" action="{{ base }}quick" hx-post="{{ base }}quick" hx-target="this"
hx-swap="outerHTML" novalidate><h2 class="h3">Быстрая запись</h2><input type="hidden" name="csrf_token" value="{{ csrf }}"><input
id="form_token" name="form_token" type="hidden" value="{{ token() }}"><input type="hidden" name="status" value="held"><input type="hidden"
name="form" value="individual"><div class="quickadd__row"><div class="field"><label for="held_at">Дата и время</label><input id="held_at"
name="held_at" required type="datetime-local" value="{{ held_at }}"></div>{{ select("asker_kind", "Кто обратился", askers.items(), None,
"person") }}{{ picker("asker_person_id", "Педагог из реестра") }}<div class="field"><label for="asker_name">ФИО (родителя, другого
лица)</label><input id="asker_name" maxlength="200" name="asker_name" type="text" value=""></div>{{ select("school_id", "Образовательная
организация", schools, "— без школы —") }}<div class="field"><label for="topic">Тема (вопрос)</label><input id="topic" maxlength="500"
name="topic" required type="text" value=""></div>{{ select("category_id", "Категория вопроса", categories, "— без категории —") }}{{
select("channel", "Способ", channels.items(), None, "in_person") }}{{ picker("consultant_id", "Консультант", first) }}<button class="btn
btn--primary" type="submit">Записать</button></div></form>
<form class="filters" method="get" action="{{ base }}"><input type="search" name="q" value="" placeholder="Тема, ФИО"
aria-label="Поиск"><select name="school" aria-label="Школа"><option value="">Все школы</option>{% for s in schools %}<option value="{{ s[0]
}}">{{ s[1] }}</option>{% endfor %}</select><select name="consultant" aria-label="Консультант"><option value="">Все консультанты</option>{%
for p in consultants %}<option value="{{ p.id }}">{{ p.short }}</option>{% endfor %}</select><select name="category" aria-label="Категория
вопроса"><option value="">Все категории</option>{% for c in categories %}<option value="{{ c[0] }}">{{ c[1] }}</option>{% endfor
%}</select><select name="status" aria-label="Состояние"><option value="">Любое состояние</option>{% for k, v in statuses.items() %}<option
value="{{ k }}">{{ v }}</option>{% endfor %}</select><label>с <input type="date" name="date_from" value=""></label><label>по <input
type="date" name="date_to" value=""></label><button class="btn" type="submit">Показать</button></form>
<div id="consultations-list">{% if rows %}<div class="tablewrap"><table class="table table--stack"><thead><tr><th>Дата</th><th>Тема</th><th>Кто
обратился</th><th>Консультант</th><th>Форма, способ</th><th>Состояние</th></tr></thead><tbody>{% for c in rows %}<tr><td>{{ c.held }}</td><td
data-label="Тема"><a href="{{ base }}{{ c.id }}/">{{ c.topic }}</a>{% if c.category %}<div class="small muted">{{ c.category }}</div>{% endif
%}{% if files.get(c.id) %}<div class="small muted">файлов: {{ files[c.id] }}</div>{% endif %}</td><td data-label="Кто обратился">{{
c.asker_name or askers.get(c.asker_kind) }}{% if c.asker_kind != "person" %}<div class="small muted">{{ askers.get(c.asker_kind) }}</div>{%
endif %}{% if c.school %}<div class="small muted">{{ c.school }}</div>{% endif %}</td><td data-label="Консультант">{{ c.consultant or "—"
}}</td><td data-label="Форма, способ">{{ forms[c.form] }}, {{ channels[c.channel]|lower }}</td><td data-label="Состояние"><span class="badge
{% if c.status == "held" %}badge--ok{% elif c.status == "cancelled" %}{% else %}badge--warn{% endif %}">{{ statuses[c.status]
}}</span></td></tr>{% endfor %}</tbody></table></div>{% if total > 30 %}<nav class="pager" aria-label="Страницы"><span>стр. 1 из {{ (total +
29) // 30 }} · всего {{ total }}</span><a href="{{ base }}?page=2">вперёд →</a></nav>{% endif %}{% else %}<div class="empty"><p>В журнале
пока нет консультаций.</p></div>{% endif %}</div>{% endblock %}"""
TEMPLATES["consultations"] = CONSULTATIONS


@bare_view("consultations")
@_path("consultations/")
def bare_consultations(page, q, slug):
    """The consultations' journal as OMS shows it to an admin: the quick line (its choices, the first consultant
    chosen), the filters, 30 consultations with their category, asker, school, consultant and file counts."""
    from datetime import datetime

    from flask import session as cookie

    tid = _tid(q, slug)
    rows = [dict(r, held=f"{_ru(r['held_at'][:10])} {r['held_at'][11:16]}", consultant=_short(*r[-3:]) if r[-3] else None)
            for r in q("SELECT c.id, c.held_at, c.topic, c.asker_kind, c.asker_name, c.form, c.channel, c.status, "
                       "k.name AS category, coalesce(nullif(s.short_name, ''), s.name) AS school, p.last_name, "
                       "p.first_name, p.middle_name FROM consultation c LEFT JOIN consultation_category k ON "
                       "k.id = c.category_id LEFT JOIN school s ON s.id = c.school_id LEFT JOIN person p ON "
                       "p.id = c.consultant_id WHERE c.tenant_id = ? ORDER BY c.held_at DESC, c.id DESC LIMIT 30", tid)]
    total = q("SELECT count(*) FROM consultation WHERE tenant_id = ?", tid)[0][0]
    files = dict(q(f"SELECT consultation_id, count(*) FROM consultation_file WHERE consultation_id IN "
                   f"({','.join('?' * len(rows))}) GROUP BY consultation_id", *[r["id"] for r in rows])) if rows else {}
    consulting = {r[0] for r in q(
        "SELECT a.person_id FROM function_assignee a JOIN function f ON f.id = a.function_id JOIN direction d ON "
        "d.id = f.direction_id WHERE a.tenant_id = ? AND (lower(d.name) LIKE '%консульт%' OR lower(f.text) LIKE "
        "'%консульт%' OR d.name LIKE '%Консульт%' OR f.text LIKE '%Консульт%')", tid)}
    consultants = sorted([dict(r, short=_short(r["last_name"], r["first_name"], r["middle_name"])) for r in q(
        "SELECT id, last_name, first_name, middle_name, school_id, user_id FROM person WHERE tenant_id = ? AND "
        "(school_id IS NULL OR id IN (SELECT person_id FROM function_assignee WHERE tenant_id = ?)) ORDER BY "
        "last_name, first_name", tid, tid)], key=lambda p: p["id"] not in consulting)
    me = q("SELECT id, last_name, first_name, middle_name, school_id FROM person WHERE tenant_id = ? AND user_id = ?",
           tid, cookie.get("uid"))
    first = me[0] if me and me[0]["school_id"] is None else (consultants[0] if consultants else None)
    now = datetime.combine(today(), datetime.now().time())
    return page(slug, "consultations", rows=rows, total=total, files=files, consultants=consultants,
                first=(first["id"], " ".join(x for x in (first["last_name"], first["first_name"], first["middle_name"])
                                             if x)) if first else None,
                held_at=now.strftime("%Y-%m-%dT%H:%M"), askers=ASKER_KINDS, channels=CHANNELS, forms=CONSULT_FORMS,
                statuses=CONSULT_STATUSES, base=f"/{slug}/consultations/",
                schools=q("SELECT id, coalesce(nullif(short_name, ''), name) FROM school WHERE tenant_id = ? ORDER BY "
                          "short_name, name", tid),
                categories=q("SELECT id, name FROM consultation_category WHERE tenant_id = ? ORDER BY position, name",
                             tid))


CONSULT_FORMS = {"individual": "Индивидуальная", "group": "Групповая"}
CHANNELS = {"in_person": "Очно", "phone": "По телефону", "online": "Онлайн"}
ASKER_KINDS = {"person": "Педагог (из реестра)", "school_head": "Руководитель ОО",
               "parent": "Родитель (законный представитель)", "student": "Обучающийся", "other": "Другое лицо"}
CONSULT_STATUSES = {"requested": "Запрошена", "scheduled": "Назначена", "held": "Проведена", "cancelled": "Отменена"}


# ---- the run -------------------------------------------------------------------------------

def build_demo(tmp: Path) -> Path:
    path = tmp / "demo.sqlite3"
    env = dict(os.environ, PYTHONPATH=str(ROOT), SECRET_KEY="bench", OMS_INSTANCE_PATH=str(tmp),
               DATABASE_URL=f"sqlite:///{path}")
    for args in (("db", "upgrade"), ("demo",)):
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return path


def oms_app(db_path: Path):
    from oms import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "SECRET_KEY": "bench",
                       "RATELIMIT_ENABLED": False, "TESTING": False})


CLOCK = time.thread_time  # CPU time of this thread: steady on a shared machine (--clock wall for perf_counter)


def timed(client, path):
    started = CLOCK()
    response = client.get(path)
    elapsed = CLOCK() - started
    assert response.status_code == 200, (path, response.status_code)
    return elapsed, len(response.data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="a demo SQLite database (default: build one in a temporary directory)")
    parser.add_argument("--district", default="kalar")
    parser.add_argument("--user", default="admin", help="admin, methodist, leader or teacher (demo accounts)")
    parser.add_argument("--year", default="2025-2026", help="the plan's academic year")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--only", help="comma-separated page names")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                        help="cpu: the thread's CPU time (default; others' load does not count), wall: elapsed")
    args = parser.parse_args()
    global CLOCK
    CLOCK = time.thread_time if args.clock == "cpu" else time.perf_counter
    db_path = Path(args.db) if args.db else build_demo(Path(tempfile.mkdtemp(prefix="oms-pages-")))

    from support import Browser

    app = oms_app(db_path)
    browser = Browser(app.test_client())
    email = f"{args.user}@{args.district}.demo.oms"
    assert browser.login(email, DEMO_PASSWORD).status_code == 302, "login failed"
    bare = bare_app(str(db_path)).test_client()
    with sqlite3.connect(db_path) as conn:
        user_id = conn.execute("SELECT id FROM user WHERE email = ?", (email,)).fetchone()[0]
    bare.get(f"/login-as/{user_id}")

    slug = args.district
    pages = {"home": f"/{slug}/", "plan": f"/{slug}/plans/{args.year}/", "people": f"/{slug}/people/",
             "structure": f"/{slug}/structure/", "council": f"/{slug}/council/"}
    for name in SECTIONS:  # the new sections, once they exist
        if browser.get(f"/{slug}/{name}/").status_code == 200:
            pages[name] = f"/{slug}/{name}/"
    if args.only:
        pages = {k: v for k, v in pages.items() if k in args.only.split(",")}
    bare_paths = {name: path for name, path in pages.items() if name in BARE}

    times = {name: ([], []) for name in pages}
    sizes = {}
    for name, path in pages.items():  # warm-up: templates compiled, caches filled
        sizes[name] = (timed(browser.client, path)[1], timed(bare, bare_paths[name])[1] if name in bare_paths else 0)
    for run in range(args.runs):
        for name, path in pages.items():
            order = [(0, browser.client, path)] + ([(1, bare, bare_paths[name])] if name in bare_paths else [])
            for which, client, url in (order if run % 2 else order[::-1]):
                times[name][which].append(timed(client, url)[0])

    print(f"{db_path} · {email} · {args.runs} interleaved runs, Flask test client, median {args.clock} time")
    print(f"{'page':12} {'OMS, ms':>9} {'bare, ms':>9} {'ratio':>6} {'OMS KB':>7} {'bare KB':>8}")
    for name in pages:
        oms_t, bare_t = times[name]
        o = statistics.median(oms_t) * 1000
        b = statistics.median(bare_t) * 1000 if bare_t else None
        ratio = f"{o / b:6.2f}" if b else f"{'—':>6}"
        print(f"{name:12} {o:9.2f} {(b or 0):9.2f} {ratio} {sizes[name][0] / 1024:7.1f} {sizes[name][1] / 1024:8.1f}")


if __name__ == "__main__":
    main()
