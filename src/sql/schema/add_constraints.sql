-- The foreign keys between V2 tables (and their indexes). A first
-- one-transaction migration adds them after loading, as pg_restore does: one
-- validating join per key instead of a trigger call per row.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_add_constraints(target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET client_min_messages = warning
AS $$
DECLARE
    fk pg_catalog.text[];
BEGIN
    -- table, column, referenced table, ON DELETE action, index the column (no when a primary key leads with it)
    FOREACH fk SLICE 1 IN ARRAY ARRAY[
        ['packs', 'category_id', 'categories', 'SET NULL', 'yes'],
        ['packs', 'author_id', 'users', 'SET NULL', 'yes'],
        ['samples', 'pack_id', 'packs', 'CASCADE', 'yes'],
        ['pack_tags', 'pack_id', 'packs', 'CASCADE', 'no'],
        ['pack_tags', 'tag_id', 'tags', 'CASCADE', 'yes'],
        ['favorites', 'user_id', 'users', 'CASCADE', 'no'],
        ['favorites', 'pack_id', 'packs', 'CASCADE', 'yes'],
        ['pack_stats', 'pack_id', 'packs', 'CASCADE', 'no'],
        ['trending_ideas', 'category_id', 'categories', 'SET NULL', 'yes']] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c
                        WHERE c.conrelid = pg_catalog.format('%I.%I', target, fk[1])::pg_catalog.regclass
                          AND c.conname = fk[1] || '_' || fk[2] || '_fkey') THEN
            EXECUTE pg_catalog.format('ALTER TABLE %I.%I ADD CONSTRAINT %I FOREIGN KEY (%I) REFERENCES %I.%I (id) ON DELETE %s',
                                      target, fk[1], fk[1] || '_' || fk[2] || '_fkey', fk[2], target, fk[3], fk[4]);
        END IF;
        IF fk[5] = 'yes' THEN
            EXECUTE pg_catalog.format('CREATE INDEX IF NOT EXISTS %I ON %I.%I (%I)',
                                      fk[1] || '_' || fk[2] || '_idx', target, fk[1], fk[2]);
        END IF;
    END LOOP;
    -- admin_logs keeps its primary key only: every audited write pays for each
    -- index on it (add one on actor_id or created_at if the log is queried often).
    -- users.id follows auth.users when the table exists (Supabase). Adding the
    -- foreign key takes a SHARE ROW EXCLUSIVE lock on auth.users: done under a
    -- short lock_timeout with retries.
    IF pg_catalog.to_regclass('auth.users') IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_constraint
         WHERE conrelid = pg_catalog.format('%I.users', target)::pg_catalog.regclass AND conname = 'users_id_auth_fkey') THEN
        PERFORM @extschema@.dskv2_ddl_with_retry(pg_catalog.format(
            'ALTER TABLE %I.users ADD CONSTRAINT users_id_auth_fkey FOREIGN KEY (id) REFERENCES auth.users (id) ON DELETE CASCADE',
            target));
    END IF;

END
$$;
