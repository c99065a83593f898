-- The shape version of `target` (docs/architecture.md, "Target shape
-- versions"): the last step its shape_steps recorded (1 for a target made
-- before targets recorded them; NULL when the schema does not exist), and the
-- shape this version of the extension makes.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_target_shape(target pg_catalog.name, OUT shape pg_catalog.int4,
                                                          OUT current_shape pg_catalog.int4)
AS 'MODULE_PATHNAME', 'dskv2_target_shape'
LANGUAGE C STABLE STRICT;
