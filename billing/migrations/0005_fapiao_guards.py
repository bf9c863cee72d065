"""Fapiao as the tax platform issued them: the database refuses to change an issued fapiao's number,
date or amounts, or to delete it, and keeps red-letter fapiao as recorded (PostgreSQL; SQLite, the
newcomer's default, refuses the updates only, as in 0002). The goods and services tax codes that
fapiao lines carry are set on the default VAT rates; staff check them in Admin → VAT rates."""

from django.db import migrations

POSTGRES = """
CREATE OR REPLACE FUNCTION billing_refuse_issued_fapiao_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status IN ('issued', 'red_lettered') AND (TG_OP = 'DELETE' OR NEW.number IS DISTINCT FROM OLD.number
            OR NEW.issued_on IS DISTINCT FROM OLD.issued_on OR NEW.amount <> OLD.amount
            OR NEW.net_amount <> OLD.net_amount OR NEW.tax_amount <> OLD.tax_amount
            OR NEW.bill_id <> OLD.bill_id OR NEW.status NOT IN ('issued', 'red_lettered')) THEN
        RAISE EXCEPTION 'an issued fapiao is never changed or deleted: issue a red-letter fapiao'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER billing_fapiao_issued BEFORE UPDATE OR DELETE ON billing_fapiao
    FOR EACH ROW EXECUTE FUNCTION billing_refuse_issued_fapiao_change();
CREATE TRIGGER billing_redletterfapiao_append_only BEFORE UPDATE OR DELETE ON billing_redletterfapiao
    FOR EACH ROW EXECUTE FUNCTION billing_refuse_change();
"""

POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS billing_fapiao_issued ON billing_fapiao;
DROP TRIGGER IF EXISTS billing_redletterfapiao_append_only ON billing_redletterfapiao;
DROP FUNCTION IF EXISTS billing_refuse_issued_fapiao_change();
"""

SQLITE = [
    """CREATE TRIGGER billing_fapiao_issued BEFORE UPDATE ON billing_fapiao
WHEN OLD.status IN ('issued', 'red_lettered') AND (NEW.number IS NOT OLD.number OR NEW.issued_on IS NOT OLD.issued_on
    OR NEW.amount <> OLD.amount OR NEW.status NOT IN ('issued', 'red_lettered'))
BEGIN SELECT RAISE(ABORT, 'an issued fapiao is never changed: issue a red-letter fapiao'); END;""",
    """CREATE TRIGGER billing_redletterfapiao_append_only BEFORE UPDATE ON billing_redletterfapiao
BEGIN SELECT RAISE(ABORT, 'red-letter fapiao are never changed'); END;""",
]

# 商品和服务税收分类编码 of the default charges.
GOODS_CODES = {
    "rent": "3040502020200000000",  # 不动产经营租赁服务
    "apartment": "3040502020200000000",
    "fee": "3040801040000000000",  # 物业管理服务
    "other": "3049900000000000000",  # 其他现代服务
}


def guards_add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def guards_remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for name in ("billing_fapiao_issued", "billing_redletterfapiao_append_only"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


def goods_codes_set(apps, schema_editor):
    tax_rate = apps.get_model("billing", "TaxRate")
    for kind, code in GOODS_CODES.items():
        tax_rate.objects.filter(kind=kind, goods_code="").update(goods_code=code)


class Migration(migrations.Migration):
    dependencies = [("billing", "0004_fapiao")]

    operations = [
        migrations.RunPython(guards_add, guards_remove, elidable=False),
        migrations.RunPython(goods_codes_set, migrations.RunPython.noop),
    ]
