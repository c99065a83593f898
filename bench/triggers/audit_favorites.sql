-- One favorite touched three times, three autocommit statements (three
-- transactions): updated, deleted, inserted back. Client c only draws the rows
-- n with n % clients = c, so no two clients race for a key.
-- Variables: clients, fav_per_client (-D).
\set n 1 + :client_id + :clients * random(0, :fav_per_client - 1)
UPDATE dropskills_v2.favorites f SET created_at = now()
  FROM bench.favorites b WHERE b.n = :n AND f.user_id = b.user_id AND f.pack_id = b.pack_id;
DELETE FROM dropskills_v2.favorites f
 USING bench.favorites b WHERE b.n = :n AND f.user_id = b.user_id AND f.pack_id = b.pack_id;
INSERT INTO dropskills_v2.favorites (user_id, pack_id, created_at, legacy, legacy_id, migration_run_id)
SELECT user_id, pack_id, now(), legacy, legacy_id, migration_run_id FROM bench.favorites WHERE n = :n;
