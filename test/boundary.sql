-- pgTAP: the C++/PostgreSQL boundary keeps SQLSTATEs and leaks nothing.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off
BEGIN;
CREATE EXTENSION IF NOT EXISTS dropskills_v2;
SELECT plan(13);

SELECT throws_ok($$SELECT dskv2_boundary_selftest('core_error')$$, '22023',
    'selftest: invalid parameter from the core', 'a core error maps to 22023 with its message');
SELECT throws_ok($$SELECT dskv2_boundary_selftest('bad_alloc')$$, '53200',
    'out of memory in dropskills_v2', 'std::bad_alloc maps to 53200');
SELECT throws_ok($$SELECT dskv2_boundary_selftest('std_exception')$$, 'XX000',
    'selftest: std::runtime_error', 'std::exception maps to XX000 with what()');
SELECT throws_ok($$SELECT dskv2_boundary_selftest('unknown_exception')$$, 'XX000',
    'unknown C++ exception in dropskills_v2', 'any other exception maps to XX000');
SELECT throws_ok($$SELECT dskv2_boundary_selftest('pg_error')$$, '22P02',
    'invalid input syntax for type integer: "not a number"',
    'a PostgreSQL error raised under guarded C++ keeps its SQLSTATE and message');
SELECT throws_ok($$SELECT dskv2_slugify('x', '')$$, '22023', NULL,
    'a bad slugify argument is 22023');
SELECT is(dskv2_boundary_selftest('pg_ok'), '42', 'guarded PostgreSQL calls return their result');

-- Memory: 10,000 errors through the boundary in one session (each caught by
-- PL/pgSQL) leave the backend's memory contexts where they were.
CREATE FUNCTION pg_temp.backend_bytes() RETURNS bigint LANGUAGE sql
AS $$ SELECT sum(total_bytes)::bigint FROM pg_backend_memory_contexts $$;
CREATE FUNCTION pg_temp.raise_many(n int, mode text) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    caught int := 0;
BEGIN
    FOR i IN 1..n LOOP
        BEGIN
            PERFORM dskv2_boundary_selftest(mode);
        EXCEPTION WHEN OTHERS THEN
            caught := caught + 1;
        END;
    END LOOP;
    RETURN caught;
END $$;
-- Warm-up: plans, caches and the module are loaded before the first measure.
SELECT pg_temp.raise_many(50, m) FROM unnest(ARRAY['pg_error', 'core_error', 'bad_alloc', 'std_exception']) m;
SELECT pg_temp.backend_bytes() AS bytes_before \gset
SELECT is(pg_temp.raise_many(2500, 'pg_error'), 2500, '2,500 PostgreSQL errors caught');
SELECT is(pg_temp.raise_many(2500, 'core_error'), 2500, '2,500 core errors caught');
SELECT is(pg_temp.raise_many(2500, 'bad_alloc'), 2500, '2,500 bad_alloc caught');
SELECT is(pg_temp.raise_many(2500, 'std_exception'), 2500, '2,500 std::exception caught');
SELECT cmp_ok(pg_temp.backend_bytes() - :bytes_before, '<', 262144::bigint,
    '10,000 errors leave no growth in the backend''s memory (under 256 kB)');
SELECT is(dskv2_boundary_selftest('ok'), 'ok', 'the backend still serves');

SELECT * FROM finish();
ROLLBACK;
