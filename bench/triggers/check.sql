-- Before the timed runs: the native and PL/pgSQL versions write the same rows.
-- The same writes go through each audit trigger in turn, and the same request
-- through dskv2_track_ai_usage and bench.track_ai_usage; prints one line.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\o /dev/null
CREATE TEMP TABLE mark AS SELECT max(id) AS id FROM dropskills_v2.admin_logs;
CREATE TEMP TABLE pass (config text, seq bigint, action text, table_name text, record_id text, actor_id uuid,
                        actor_role text, old_data jsonb, new_data jsonb, txid bigint, source text);

DROP TRIGGER IF EXISTS bench_audit ON dropskills_v2.packs;
DROP TRIGGER IF EXISTS bench_audit ON dropskills_v2.favorites;
SELECT dskv2_audit_enable('dropskills_v2.packs'), dskv2_audit_enable('dropskills_v2.favorites');
\ir check_writes.sql
INSERT INTO pass SELECT 'native', row_number() OVER (ORDER BY id), action, table_name, record_id, actor_id, actor_role,
                        old_data, new_data, txid, source
                   FROM dropskills_v2.admin_logs WHERE id > (SELECT id FROM mark);
UPDATE mark SET id = (SELECT max(id) FROM dropskills_v2.admin_logs);

SELECT dskv2_audit_disable('dropskills_v2.packs'), dskv2_audit_disable('dropskills_v2.favorites');
CREATE TRIGGER bench_audit AFTER INSERT OR UPDATE OR DELETE ON dropskills_v2.packs
    FOR EACH ROW EXECUTE FUNCTION bench.audit_trigger('id');
CREATE TRIGGER bench_audit AFTER INSERT OR UPDATE OR DELETE ON dropskills_v2.favorites
    FOR EACH ROW EXECUTE FUNCTION bench.audit_trigger('user_id', 'pack_id');
\ir check_writes.sql
INSERT INTO pass SELECT 'plpgsql', row_number() OVER (ORDER BY id), action, table_name, record_id, actor_id, actor_role,
                        old_data, new_data, txid, source
                   FROM dropskills_v2.admin_logs WHERE id > (SELECT id FROM mark);
DROP TRIGGER bench_audit ON dropskills_v2.packs;
DROP TRIGGER bench_audit ON dropskills_v2.favorites;

-- AI usage: the same request through both functions, in one transaction.
BEGIN;
CREATE TEMP TABLE ai_ids AS
SELECT dskv2_track_ai_usage('bench-tool', (SELECT id FROM bench.users WHERE n = 1), 120, 480) AS native,
       bench.track_ai_usage('bench-tool', (SELECT id FROM bench.users WHERE n = 1), 120, 480) AS plpgsql;
COMMIT;

\o
-- Whole rows on both sides for INSERT and DELETE; on UPDATE the native row
-- holds the changed columns, a part of the PL/pgSQL trigger's whole rows.
SELECT format('equivalence check: %s/%s audit rows agree (actor, role, action, table, record_id, data; rows written: native %s, PL/pgSQL %s), '
              'ai_usage rows agree: %s (cost %s)',
              count(*) FILTER (WHERE n.action = p.action AND n.table_name = p.table_name
                                 AND CASE WHEN n.record_id LIKE '[%' THEN n.record_id::jsonb = p.record_id::jsonb
                                          ELSE n.record_id = p.record_id END
                                 AND n.actor_id IS NOT DISTINCT FROM p.actor_id AND n.actor_id IS NOT NULL
                                 AND n.actor_role = p.actor_role AND n.source = p.source
                                 AND n.txid IS NOT NULL AND p.txid IS NOT NULL
                                 AND CASE n.action WHEN 'UPDATE'
                                          THEN p.old_data @> n.old_data AND p.new_data @> n.new_data
                                               AND n.old_data <> n.new_data
                                          ELSE n.old_data IS NOT DISTINCT FROM p.old_data
                                               AND n.new_data IS NOT DISTINCT FROM p.new_data END),
              count(*), count(*), (SELECT count(*) FROM pass WHERE config = 'plpgsql'),
              (SELECT (a.user_id, a.tool_id, a.input_tokens, a.output_tokens, a.cost)
                      = (b.user_id, b.tool_id, b.input_tokens, b.output_tokens, b.cost)
                 FROM ai_ids i JOIN dropskills_v2.ai_usage a ON a.id = i.native
                               JOIN dropskills_v2.ai_usage b ON b.id = i.plpgsql),
              (SELECT a.cost FROM ai_ids i JOIN dropskills_v2.ai_usage a ON a.id = i.native))
  FROM pass n LEFT JOIN pass p ON p.seq = n.seq AND p.config = 'plpgsql'
 WHERE n.config = 'native';
