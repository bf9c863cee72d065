"""The layouts of the operator's two banks' exports, and the database's guard on what a bank said:
a statement line keeps its cells, day, amount, serial and hash, and is never deleted (PostgreSQL;
SQLite, the newcomer's default, refuses the updates only)."""

from django.db import migrations

LAYOUTS = [
    {
        "name": "招商银行 CSV (China Merchants Bank)",
        "bank": "招商银行广州分行营业部",
        "date_column": "交易日期",
        "payer_name_column": "对方户名",
        "payer_account_column": "对方账号",
        "amount_column": "",
        "credit_column": "贷方金额",
        "debit_column": "借方金额",
        "remark_column": "摘要",
        "serial_column": "流水号",
    },
    {
        "name": "工商银行 XLSX (ICBC)",
        "bank": "工商银行广州天河支行",
        "date_column": "交易时间",
        "payer_name_column": "对方单位名称",
        "payer_account_column": "对方账号",
        "amount_column": "",
        "credit_column": "收入金额",
        "debit_column": "支出金额",
        "remark_column": "附言",
        "serial_column": "",
    },
]

GUARDED = "NEW.raw IS DISTINCT FROM OLD.raw OR NEW.booked_on <> OLD.booked_on OR NEW.amount <> OLD.amount"

POSTGRES = f"""
CREATE OR REPLACE FUNCTION banking_refuse_statement_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR {GUARDED} OR NEW.serial <> OLD.serial OR NEW.fingerprint <> OLD.fingerprint
            OR NEW.bank <> OLD.bank THEN
        RAISE EXCEPTION 'a bank statement line keeps what the bank said'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER banking_statementline_as_exported BEFORE UPDATE OR DELETE ON banking_statementline
    FOR EACH ROW EXECUTE FUNCTION banking_refuse_statement_change();
"""

SQLITE = f"""CREATE TRIGGER banking_statementline_as_exported BEFORE UPDATE ON banking_statementline
WHEN {GUARDED} OR NEW.serial <> OLD.serial OR NEW.fingerprint <> OLD.fingerprint
BEGIN SELECT RAISE(ABORT, 'a bank statement line keeps what the bank said'); END;"""


def layouts_add(apps, schema_editor):
    layout = apps.get_model("banking", "StatementLayout")
    for fields in LAYOUTS:
        layout.objects.get_or_create(name=fields["name"], defaults=fields)


def guards_add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE.replace("IS DISTINCT FROM", "IS NOT"))


def guards_remove(apps, schema_editor):
    schema_editor.execute("DROP TRIGGER IF EXISTS banking_statementline_as_exported" + (
        " ON banking_statementline" if schema_editor.connection.vendor == "postgresql" else ""
    ))


class Migration(migrations.Migration):
    dependencies = [("banking", "0001_initial")]

    operations = [
        migrations.RunPython(layouts_add, migrations.RunPython.noop),
        migrations.RunPython(guards_add, guards_remove, elidable=False),
    ]
