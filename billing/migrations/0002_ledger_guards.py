"""What the database itself refuses, whatever code runs: posted money rows are never changed or
deleted, and no bill or payment is allocated beyond what it holds.

PostgreSQL gets every guard. SQLite (the newcomer's default) gets the refusal of updates only:
Django's test flush deletes rows there one table at a time, and SQLite has no TRUNCATE."""

from django.db import migrations

APPEND_ONLY = ["billing_ledgerentry", "billing_paymentallocation", "billing_depositentry"]

POSTGRES = """
CREATE OR REPLACE FUNCTION billing_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'posted rows of % are never changed or deleted: post a correction', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE OR REPLACE FUNCTION billing_refuse_posted_document_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'billing_bill' THEN
        IF OLD.status <> 'scheduled' AND (TG_OP = 'DELETE' OR NEW.amount <> OLD.amount
                OR NEW.company_id <> OLD.company_id OR NEW.resident_name <> OLD.resident_name) THEN
            RAISE EXCEPTION 'an issued bill keeps its amount and payer: post a credit note or an adjustment'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    ELSIF TG_OP = 'DELETE' OR NEW.amount <> OLD.amount OR NEW.company_id <> OLD.company_id
            OR NEW.resident_name <> OLD.resident_name OR NEW.received_on <> OLD.received_on THEN
        RAISE EXCEPTION 'a recorded payment is never changed or deleted: reverse it'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE OR REPLACE FUNCTION billing_check_allocated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    asked numeric; applied numeric; received numeric; used numeric;
BEGIN
    IF NEW.bill_id IS NOT NULL THEN
        SELECT COALESCE(SUM(debit - credit), 0) INTO asked FROM billing_ledgerentry WHERE bill_id = NEW.bill_id;
        SELECT COALESCE(SUM(amount), 0) INTO applied FROM billing_paymentallocation WHERE bill_id = NEW.bill_id;
        IF applied > asked THEN
            RAISE EXCEPTION 'bill % would be paid % where it asks %', NEW.bill_id, applied, asked
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    IF NEW.payment_id IS NOT NULL THEN
        SELECT amount INTO received FROM billing_payment WHERE id = NEW.payment_id;
        SELECT COALESCE(SUM(amount), 0) INTO used FROM billing_paymentallocation WHERE payment_id = NEW.payment_id;
        used := used + (SELECT COALESCE(SUM(debit), 0) FROM billing_ledgerentry
                        WHERE payment_id = NEW.payment_id AND kind IN ('refund', 'payment_reversal'));
        IF used > received THEN
            RAISE EXCEPTION 'payment % would be used % where it brought %', NEW.payment_id, used, received
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NULL;
END $$;
""" + "".join(
    f"""
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION billing_refuse_change();
"""
    for table in APPEND_ONLY
) + """
CREATE TRIGGER billing_bill_posted BEFORE UPDATE OR DELETE ON billing_bill
    FOR EACH ROW EXECUTE FUNCTION billing_refuse_posted_document_change();
CREATE TRIGGER billing_payment_posted BEFORE UPDATE OR DELETE ON billing_payment
    FOR EACH ROW EXECUTE FUNCTION billing_refuse_posted_document_change();
CREATE CONSTRAINT TRIGGER billing_allocation_within AFTER INSERT ON billing_paymentallocation
    DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION billing_check_allocated();
CREATE CONSTRAINT TRIGGER billing_ledger_within AFTER INSERT ON billing_ledgerentry
    DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION billing_check_allocated();
"""

POSTGRES_REVERSE = (
    "".join(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};" for table in APPEND_ONLY)
    + """
DROP TRIGGER IF EXISTS billing_bill_posted ON billing_bill;
DROP TRIGGER IF EXISTS billing_payment_posted ON billing_payment;
DROP TRIGGER IF EXISTS billing_allocation_within ON billing_paymentallocation;
DROP TRIGGER IF EXISTS billing_ledger_within ON billing_ledgerentry;
DROP FUNCTION IF EXISTS billing_refuse_change();
DROP FUNCTION IF EXISTS billing_refuse_posted_document_change();
DROP FUNCTION IF EXISTS billing_check_allocated();
"""
)

SQLITE = [
    f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, 'posted rows of {table} are never changed: post a correction'); END;"""
    for table in APPEND_ONLY
]


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
        for table in APPEND_ONLY:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only")


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunPython(guards_add, guards_remove, elidable=False)]
