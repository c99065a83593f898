-- admin_logs is append-only for everyone: BEFORE UPDATE OR DELETE (per row)
-- and BEFORE TRUNCATE, attached by dskv2_create_schema. A DBA who must repair
-- the log disables it explicitly (ALTER TABLE ... DISABLE TRIGGER).
CREATE OR REPLACE FUNCTION @extschema@.dskv2_append_only()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- Live sync keeps the rows that came from the legacy log in line with it.
    IF TG_LEVEL = 'ROW' AND OLD.source = 'legacy' AND @extschema@.dskv2_sync_writing() THEN
        RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION 'dskv2: %.% is append-only: % refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
        USING ERRCODE = '42501',
              HINT = 'Audit rows are never changed or removed.';
END
$$;
