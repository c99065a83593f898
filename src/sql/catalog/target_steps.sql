-- The shape steps of a target (docs/architecture.md, "Target shape
-- versions"), in order, for `target`: tables, columns and indexes, run when
-- missing, then each step's own statements and batches (data moves) and the
-- policies it changes (dropped, to be created again from the catalogue), run once.
-- Internal: dskv2_create_tables runs them.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_target_steps(target pg_catalog.name)
RETURNS TABLE (step pg_catalog.int4, step_name pg_catalog.text, kind pg_catalog.text, table_name pg_catalog.text,
               object_name pg_catalog.text, statement pg_catalog.text)
AS 'MODULE_PATHNAME', 'dskv2_target_steps'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
