-- The foreign keys of the V2 tables and their indexes, from the catalogue
-- (dskv2_catalog_foreign_keys). A first one-transaction migration adds them
-- after loading, as pg_restore does: one validating join per key instead of a
-- trigger call per row. users.id follows auth.users when that table exists
-- (Supabase); adding that key takes a SHARE ROW EXCLUSIVE lock on auth.users,
-- so it runs under a short lock_timeout with retries. admin_logs keeps its
-- primary key only: every audited write pays for each index on it.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_add_constraints(target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET client_min_messages = warning
AS $$
DECLARE
    fk record;
    parent pg_catalog.text;
BEGIN
    FOR fk IN SELECT k.* FROM @extschema@.dskv2_catalog_foreign_keys() k
                JOIN @extschema@.dskv2_catalog_tables() t ON t.table_name = k.table_name
               ORDER BY t.ord, k.constraint_name LOOP
        CONTINUE WHEN pg_catalog.to_regclass(pg_catalog.format('%I.%I', target, fk.table_name)) IS NULL;
        IF fk.parent_schema = 'target' THEN
            parent := pg_catalog.format('%I.%I', target, fk.parent_table);
        ELSE
            parent := pg_catalog.format('%I.%I', fk.parent_schema, fk.parent_table);
            CONTINUE WHEN pg_catalog.to_regclass(parent) IS NULL;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c
                        WHERE c.conrelid = pg_catalog.format('%I.%I', target, fk.table_name)::pg_catalog.regclass
                          AND c.conname = fk.constraint_name) THEN
            PERFORM @extschema@.dskv2_ddl_with_retry(pg_catalog.format(
                'ALTER TABLE %I.%I ADD CONSTRAINT %I FOREIGN KEY (%I) REFERENCES %s (%I) ON DELETE %s',
                target, fk.table_name, fk.constraint_name, fk.column_name, parent, fk.parent_column, fk.on_delete),
                pg_catalog.format('table %I.%I and %s', target, fk.table_name, parent));
        END IF;
        IF fk.index_name IS NOT NULL
           AND pg_catalog.to_regclass(pg_catalog.format('%I.%I', target, fk.index_name)) IS NULL THEN
            EXECUTE pg_catalog.format('CREATE INDEX %I ON %I.%I (%I)', fk.index_name, target, fk.table_name,
                                      fk.column_name);
        END IF;
    END LOOP;
END
$$;
