"""The access vault of the pages (Прил. 1 п. 2), their append-only access history and the stored
page status (п. 8).

The history refuses UPDATE and DELETE in the database itself, as the incidents' history does
(incidents/migrations/0003 and 0007): on SQLite the DELETE trigger asks the guard function the
application defines on its connections (incidents/history_guard.py), so only the test suite's
flush passes; on PostgreSQL a row trigger refuses both.
"""

import django.db.models.deletion
from django.db import migrations, models

from otklik.incidents.history_guard import GUARD_FUNCTION

SQLITE_UP = [
    """CREATE TRIGGER pages_event_no_update BEFORE UPDATE ON pages_pageevent
       BEGIN SELECT RAISE(ABORT, 'page history is append-only'); END""",
    f"""CREATE TRIGGER pages_event_no_delete BEFORE DELETE ON pages_pageevent
       WHEN {GUARD_FUNCTION}() BEGIN SELECT RAISE(ABORT, 'page history is append-only'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS pages_event_no_update",
    "DROP TRIGGER IF EXISTS pages_event_no_delete",
]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION pages_event_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'page history is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER pages_event_append_only BEFORE UPDATE OR DELETE ON pages_pageevent
       FOR EACH ROW EXECUTE FUNCTION pages_event_append_only()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS pages_event_append_only ON pages_pageevent",
    "DROP FUNCTION IF EXISTS pages_event_append_only()",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0002_calendars'),
        ('pages', '0002_page_network_access'),
    ]

    operations = [
        migrations.AddField(
            model_name='officialpage',
            name='comments_open',
            field=models.BooleanField(blank=True, editable=False, null=True, verbose_name='комментарии открыты'),
        ),
        migrations.AddField(
            model_name='officialpage',
            name='history_head',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='подпись последней записи истории'),
        ),
        migrations.AddField(
            model_name='officialpage',
            name='page_open',
            field=models.BooleanField(blank=True, editable=False, null=True, verbose_name='страница открыта'),
        ),
        migrations.AddField(
            model_name='officialpage',
            name='status_checked_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='состояние проверено'),
        ),
        migrations.AddField(
            model_name='officialpage',
            name='status_detail',
            field=models.TextField(blank=True, editable=False, verbose_name='состояние страницы'),
        ),
        migrations.CreateModel(
            name='PageEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.PositiveIntegerField(verbose_name='№')),
                ('at', models.DateTimeField(verbose_name='когда')),
                ('actor_label', models.CharField(max_length=300, verbose_name='кто')),
                ('action', models.CharField(choices=[('reveal', 'Показан'), ('change', 'Изменён'), ('rotate', 'Заменён на новый (сгенерирован)'), ('reseal', 'Перешифрован новым ключом'), ('responsible_left', 'Ответственный больше не работает со страницей')], max_length=32, verbose_name='действие')),
                ('secret', models.CharField(blank=True, choices=[('login', 'Логин'), ('password', 'Пароль'), ('phone', 'Телефон, к которому привязана страница'), ('token', 'Ключ доступа (API)'), ('note', 'Заметка')], max_length=16, verbose_name='что')),
                ('reason', models.TextField(blank=True, verbose_name='причина')),
                ('payload', models.JSONField(blank=True, default=dict, verbose_name='подробности')),
                ('prev_hash', models.CharField(max_length=64, verbose_name='подпись предыдущей записи')),
                ('hash', models.CharField(max_length=64, verbose_name='подпись')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.person', verbose_name='сотрудник')),
                ('page', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='pages.officialpage', verbose_name='страница')),
            ],
            options={
                'verbose_name': 'запись истории доступа',
                'verbose_name_plural': 'история доступа к страницам',
                'ordering': ['page', 'seq'],
                'constraints': [models.UniqueConstraint(fields=('page', 'seq'), name='page_event_unique_seq')],
            },
        ),
        migrations.CreateModel(
            name='PageHolder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('since', models.DateTimeField(verbose_name='ответственный с')),
                ('left_at', models.DateTimeField(blank=True, null=True, verbose_name='ушёл')),
                ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='пароль сменён')),
                ('page', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='holders', to='pages.officialpage')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.person')),
            ],
            options={
                'verbose_name': 'ответственный (для смены пароля)',
                'verbose_name_plural': 'ответственные (для смены пароля)',
                'constraints': [models.UniqueConstraint(condition=models.Q(('left_at__isnull', True)), fields=('page', 'person'), name='page_holder_one_open')],
            },
        ),
        migrations.CreateModel(
            name='PageSecret',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('login', 'Логин'), ('password', 'Пароль'), ('phone', 'Телефон, к которому привязана страница'), ('token', 'Ключ доступа (API)'), ('note', 'Заметка')], max_length=16, verbose_name='что')),
                ('value_sealed', models.TextField(editable=False, verbose_name='значение (зашифровано)')),
                ('previous_sealed', models.TextField(blank=True, editable=False, verbose_name='прежнее значение (зашифровано)')),
                ('changed_at', models.DateTimeField(editable=False, verbose_name='изменено')),
                ('changed_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='org.person', verbose_name='кем изменено')),
                ('page', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='secrets', to='pages.officialpage', verbose_name='страница')),
            ],
            options={
                'verbose_name': 'секрет страницы',
                'verbose_name_plural': 'секреты страниц',
                'constraints': [models.UniqueConstraint(fields=('page', 'kind'), name='page_secret_unique_kind')],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
