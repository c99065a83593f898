-- One verification result (internal).
CREATE TYPE @extschema@.dskv2_check AS (check_name pg_catalog.text, table_name pg_catalog.text, ok pg_catalog.bool,
                                        expected pg_catalog.int8, actual pg_catalog.int8, detail pg_catalog.text,
                                        keys pg_catalog.text[]);
