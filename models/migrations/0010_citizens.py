"""The Analyzer: imports, citizens (unique per import) and relatives (both directions)."""
import datetime

import peewee


class CitizenImport(peewee.Model):
    created = peewee.DateTimeField(default=datetime.datetime.utcnow)
    citizens = peewee.IntegerField()

    class Meta:
        table_name = 'imports'


class Citizen(peewee.Model):
    import_id = peewee.IntegerField()
    citizen_id = peewee.IntegerField()
    town = peewee.CharField(max_length=256)
    street = peewee.CharField(max_length=256)
    building = peewee.CharField(max_length=256)
    apartment = peewee.IntegerField()
    name = peewee.CharField(max_length=256)
    birth_date = peewee.DateField()
    gender = peewee.CharField(max_length=6)

    class Meta:
        table_name = 'citizens'
        primary_key = peewee.CompositeKey('import_id', 'citizen_id')
        constraints = [peewee.SQL('FOREIGN KEY (import_id) REFERENCES imports (id) '
                                  'ON DELETE CASCADE')]


class Relative(peewee.Model):
    import_id = peewee.IntegerField()
    citizen_id = peewee.IntegerField()
    relative_id = peewee.IntegerField()

    class Meta:
        table_name = 'relatives'
        primary_key = peewee.CompositeKey('import_id', 'citizen_id', 'relative_id')
        indexes = ((('import_id', 'relative_id'), False),)  # the second foreign key's
        constraints = [
            peewee.SQL('FOREIGN KEY (import_id, citizen_id) REFERENCES citizens '
                       '(import_id, citizen_id) ON DELETE CASCADE'),
            peewee.SQL('FOREIGN KEY (import_id, relative_id) REFERENCES citizens '
                       '(import_id, citizen_id) ON DELETE CASCADE'),
        ]


MODELS = [CitizenImport, Citizen, Relative]  # in the order their foreign keys need


def up(migrator, db):
    with db.bind_ctx(MODELS):
        for model in MODELS:
            model.create_table()


def down(migrator, db):
    with db.bind_ctx(MODELS):
        for model in reversed(MODELS):
            model.drop_table()
