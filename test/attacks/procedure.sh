#!/usr/bin/env bash
# Route 3 of docs/security.md, "Threat model": CALL dskv2_migrate commits, and a
# COMMIT ends what a SET clause would pin, so its code ran under the caller's
# search_path between two transactions. eve, with CREATE on public, plants
# exact-match operators for the type pairs of the procedure's progress
# arithmetic (numeric * bigint, bigint / double precision, bigint + integer,
# bigint >= bigint, text = text), and the database's default search_path
# puts public before pg_catalog. A superuser's batched migration, with a
# progress notice after every batch, runs none of them; nor does it run in a
# replica session (22023).
source "$(dirname "$0")/../scenarios/tap.bash"
plan 6
fresh_db dskv2_att_proc S
export PGUSER=$ADMIN  # the victim is the most privileged caller: supabase_admin, a superuser

q <<'SQL' >/dev/null
CREATE ROLE eve_proc NOLOGIN;
GRANT CREATE ON SCHEMA public TO eve_proc;
CREATE SEQUENCE public.eve_log;
GRANT USAGE, SELECT, UPDATE ON SEQUENCE public.eve_log TO PUBLIC;
SET ROLE eve_proc;
CREATE FUNCTION public.eve_pwn() RETURNS integer LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    PERFORM pg_catalog.nextval('public.eve_log');
    BEGIN
        ALTER ROLE eve_proc SUPERUSER;
    EXCEPTION WHEN insufficient_privilege THEN
        NULL;
    END;
    RETURN 1;
END
$$;
CREATE FUNCTION public.eve_mul(a numeric, b bigint) RETURNS numeric LANGUAGE sql SET search_path = pg_catalog
AS $$ SELECT a OPERATOR(pg_catalog.*) b OPERATOR(pg_catalog.*) public.eve_pwn() $$;
CREATE FUNCTION public.eve_div(a bigint, b double precision) RETURNS double precision LANGUAGE sql
SET search_path = pg_catalog AS $$ SELECT a OPERATOR(pg_catalog./) b OPERATOR(pg_catalog.*) public.eve_pwn() $$;
CREATE FUNCTION public.eve_add(a bigint, b integer) RETURNS bigint LANGUAGE sql SET search_path = pg_catalog
AS $$ SELECT a OPERATOR(pg_catalog.+) b OPERATOR(pg_catalog.*) public.eve_pwn() $$;
CREATE FUNCTION public.eve_ge(a bigint, b bigint) RETURNS boolean LANGUAGE sql SET search_path = pg_catalog
AS $$ SELECT a OPERATOR(pg_catalog.>=) b AND public.eve_pwn() OPERATOR(pg_catalog.=) 1 $$;
CREATE FUNCTION public.eve_eq(a text, b text) RETURNS boolean LANGUAGE sql SET search_path = pg_catalog
AS $$ SELECT a OPERATOR(pg_catalog.=) b AND public.eve_pwn() OPERATOR(pg_catalog.=) 1 $$;
CREATE OPERATOR public.* (LEFTARG = numeric, RIGHTARG = bigint, FUNCTION = public.eve_mul);
CREATE OPERATOR public./ (LEFTARG = bigint, RIGHTARG = double precision, FUNCTION = public.eve_div);
CREATE OPERATOR public.+ (LEFTARG = bigint, RIGHTARG = integer, FUNCTION = public.eve_add);
CREATE OPERATOR public.>= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = public.eve_ge);
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.eve_eq);
RESET ROLE;
SQL
q -c "ALTER DATABASE $DB SET search_path = public, pg_catalog" >/dev/null

# The trap works: under that search_path, the notice's arithmetic of 0.1.0 runs eve's code.
q -c "SET ROLE eve_proc" -c "SELECT round(100.0 * 5::bigint / 7, 1)" >/dev/null
is "$(q -c "SELECT is_called FROM public.eve_log")" "t" "the planted numeric * bigint operator runs in an unpinned expression"
mark=$(q -c "SELECT last_value FROM public.eve_log")

out=$(psql -qXAt -v ON_ERROR_STOP=1 -d "$DB" -c "SET dskv2.progress_interval = 0" \
      -c "CALL dskv2_migrate('public', 'dropskills_v2', 500)" 2>&1)
ok $? "CALL dskv2_migrate completes under a hostile default search_path"
echo "$out" | grep -q "rows/s, ETA"; ok $? "... with a progress notice after every batch"
is "$(q -c "SELECT last_value FROM public.eve_log")" "$mark" "nothing of eve's ran during the batched migration"
is "$(q -c "SELECT rolsuper FROM pg_roles WHERE rolname OPERATOR(pg_catalog.=) 'eve_proc'")" "f" "eve is still no superuser"

out=$(psql -qXAt -d "$DB" -v VERBOSITY=verbose -c "SET session_replication_role = replica" \
      -c "CALL dskv2_migrate('public', 'v2_replica', 500)" 2>&1)
echo "$out" | grep -q "22023"; ok $? "CALL dskv2_migrate refuses session_replication_role = replica (22023)"

q -c "ALTER DATABASE $DB RESET search_path" >/dev/null
q -c "DROP OWNED BY eve_proc" -c "DROP ROLE eve_proc" >/dev/null 2>&1
finish
