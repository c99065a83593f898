-- One pack's life, three autocommit statements (three transactions): a new
-- pack (a copy of an existing one under a fresh slug), a price change of a
-- random existing pack, and the new pack's deletion. The table keeps its size.
-- Variables: npacks (-D).
\set src random(1, :npacks)
\set upd random(1, :npacks)
\set cents random(100, 9999)
INSERT INTO dropskills_v2.packs (slug, title, description, price, category_id, cover_url, format, language,
                                 is_premium, status, author_id)
SELECT 'bench-' || gen_random_uuid(), title, description, price, category_id, cover_url, format, language,
       is_premium, status, author_id
  FROM bench.pack_src WHERE n = :src
RETURNING id AS new_pack \gset
UPDATE dropskills_v2.packs SET price = :cents / 100.0, updated_at = now()
 WHERE id = (SELECT id FROM bench.packs WHERE n = :upd);
DELETE FROM dropskills_v2.packs WHERE id = :new_pack;
