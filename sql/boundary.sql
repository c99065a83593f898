-- The C++/PostgreSQL boundary: every C++ failure is a clean ERROR with a fixed
-- SQLSTATE, PostgreSQL errors under guarded C++ keep theirs, and the same
-- backend keeps serving.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dropskills_v2;
RESET client_min_messages;
\set SHOW_CONTEXT never
SELECT pg_backend_pid() AS pid_before \gset

SELECT dskv2_boundary_selftest('ok');
SELECT dskv2_boundary_selftest('pg_ok');

-- Messages (default verbosity)...
SELECT dskv2_boundary_selftest('core_error');
SELECT dskv2_boundary_selftest('bad_alloc');
SELECT dskv2_boundary_selftest('std_exception');
SELECT dskv2_boundary_selftest('unknown_exception');
SELECT dskv2_boundary_selftest('pg_error');
SELECT dskv2_boundary_selftest('no such mode');

-- ...and SQLSTATEs.
\set VERBOSITY sqlstate
SELECT dskv2_boundary_selftest('core_error');
SELECT dskv2_boundary_selftest('bad_alloc');
SELECT dskv2_boundary_selftest('std_exception');
SELECT dskv2_boundary_selftest('unknown_exception');
SELECT dskv2_boundary_selftest('pg_error');
SELECT dskv2_slugify('x', '');
\set VERBOSITY default

-- Errors inside a transaction roll it back cleanly; the session goes on.
BEGIN;
CREATE TEMP TABLE boundary_probe(v text);
INSERT INTO boundary_probe VALUES ('kept?');
SELECT dskv2_boundary_selftest('std_exception');
ROLLBACK;
SELECT to_regclass('pg_temp.boundary_probe') IS NULL AS rolled_back;

-- Same backend: no crash, no restart.
SELECT pg_backend_pid() = :pid_before AS same_backend;
SELECT dskv2_boundary_selftest('ok') AS still_serving;
