-- pgTAP: the text functions on messy legacy data, as the migration will see it.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off
BEGIN;
CREATE EXTENSION IF NOT EXISTS dropskills_v2;
SELECT plan(15);

-- Messy legacy titles: accents in NFC and NFD, ligatures, entities, emoji,
-- typographic quotes, other scripts, control characters, very long titles, NULLs.
CREATE TEMP TABLE legacy_titles AS
SELECT g, CASE WHEN g % 97 = 0 THEN NULL ELSE concat_ws(' ',
    (ARRAY['Formation', 'L’IA', 'crème', 'cre' || chr(768) || 'me', 'Œuvre', '🚀', 'Straße', 'Ψυχή', 'Москва',
           '北京', '&eacute;t&eacute;', '1,000', '--', '''', '♥', '&#x1F680;', chr(9) || chr(10), 'ﬁ', 'ǅ', 'Ⅻ'])[1 + g % 20],
    (ARRAY['Complète', 'pour', 'les', 'NULS', '(2024)', 'E-commerce', '&amp;', '…', '½', 'l’été'])[1 + (g * 7) % 10],
    chr(33 + (g * 31) % 2000), chr(880 + (g * 13) % 5000), chr(19968 + g % 500),
    CASE WHEN g % 101 = 0 THEN repeat('très long titre ', 2000) END) END AS title
FROM generate_series(1, 30000) g;

SELECT is(count(*) FILTER (WHERE dskv2_slugify(title) !~ '^([a-z0-9]+(-[a-z0-9]+)*)?$'), 0::bigint,
          'every slug matches ^([a-z0-9]+(-[a-z0-9]+)*)?$') FROM legacy_titles WHERE title IS NOT NULL;
SELECT is(count(*) FILTER (WHERE dskv2_slugify(dskv2_slugify(title)) IS DISTINCT FROM dskv2_slugify(title)), 0::bigint,
          'slugify is idempotent') FROM legacy_titles;
SELECT is(count(*) FILTER (WHERE dskv2_slugify(title) IS NOT NULL), 0::bigint,
          'NULL titles give NULL (STRICT)') FROM legacy_titles WHERE title IS NULL;
SELECT is(count(*) FILTER (WHERE replace(dskv2_slugify(title), '-', '_') <> dskv2_slugify(title, '_')), 0::bigint,
          'another separator gives the same words') FROM legacy_titles;
SELECT is(count(*) FILTER (WHERE length(s) > n OR left(full_slug, length(s)) <> s
                             OR (s <> '' AND s <> full_slug AND substr(full_slug, length(s) + 1, 1) <> '-')), 0::bigint,
          'max_length gives a whole-word prefix within the limit')
FROM (SELECT dskv2_slugify(title) AS full_slug, dskv2_slugify(title, '-', n) AS s, n
      FROM legacy_titles, (VALUES (1), (8), (20), (64)) AS m(n)) x;
SELECT is(dskv2_slugify('cre' || chr(768) || 'me ' || 'cr' || chr(232) || 'me'), 'creme-creme',
          'NFD and NFC accents give the same slug');
SELECT is(dskv2_slugify(E'Formation\u00a0compl\u00e8te\tBonus\u2028fin'), 'formation-complete-bonus-fin',
          'every kind of white space separates');
SELECT is(dskv2_slugify('&#x1F680; &hearts; &copy; &euro;'), '', 'entities that decode to symbols vanish');

-- Sample types on legacy file_type/file_url pairs.
CREATE TEMP TABLE legacy_samples(file_url text, file_type text, expected text);
INSERT INTO legacy_samples VALUES
    ('https://cdn.dropskills.fr/s/guide.pdf', 'PDF', 'pdf'),
    ('https://cdn.dropskills.fr/s/guide', 'application/pdf', 'pdf'),
    ('https://www.youtube.com/watch?v=x', 'Vidéo', 'video'),
    ('https://cdn.dropskills.fr/s/intro.MOV', NULL, 'video'),
    ('https://cdn.dropskills.fr/s/chapitre1.m4b', 'audio', 'audio'),
    ('https://cdn.dropskills.fr/s/fiche.docx', 'Document', 'document'),
    ('https://cdn.dropskills.fr/s/budget.csv', NULL, 'spreadsheet'),
    ('https://cdn.dropskills.fr/s/slides.key', NULL, 'presentation'),
    ('https://cdn.dropskills.fr/s/bonus.rar', NULL, 'archive'),
    ('https://cdn.dropskills.fr/s/roman.mobi', NULL, 'ebook'),
    ('https://cdn.dropskills.fr/s/notes.md', NULL, 'text'),
    ('https://dropskills.fr/pack/seo', NULL, 'link'),
    (NULL, NULL, 'unknown'),
    ('', 'Vidéo', 'video');
SELECT is(count(*) FILTER (WHERE dskv2_detect_sample_type(file_url, file_type) <> expected), 0::bigint,
          'legacy file_url/file_type pairs map to the expected types') FROM legacy_samples;

-- Never raises, whatever the bytes; always one of the twelve types.
SELECT is(count(*) FILTER (WHERE t NOT IN ('pdf', 'video', 'audio', 'image', 'document', 'spreadsheet', 'presentation',
                                           'archive', 'ebook', 'text', 'link', 'unknown')), 0::bigint,
          'detection always answers one of the twelve types')
FROM (SELECT dskv2_detect_sample_type(title, left(title, 12), convert_to(title, 'UTF8')) AS t FROM legacy_titles) x;
SELECT lives_ok($$SELECT count(dskv2_detect_sample_type(md5(g::text) || '.' || left(md5(g::text), g % 5),
                                                        md5((g + 1)::text),
                                                        decode(repeat(md5(g::text), 1 + g % 200), 'hex')))
                  FROM generate_series(1, 20000) g$$,
                'detection never raises on pseudo-random sources, hints and heads');

-- A large, toasted head: only its first bytes are fetched.
CREATE TEMP TABLE big_files(name text, head bytea);
ALTER TABLE big_files ALTER COLUMN head SET STORAGE EXTERNAL;
INSERT INTO big_files VALUES
    ('big.pdf', E'\\x255044462d312e37'::bytea || decode(repeat('00', 4 * 1024 * 1024), 'hex')),
    ('big.bin', decode(repeat('ff', 4 * 1024 * 1024), 'hex'));
SELECT is(dskv2_detect_sample_type('x.mp4', NULL, head), 'pdf', 'a toasted 4 MB PDF head is still a PDF')
FROM big_files WHERE name = 'big.pdf';
SELECT is(dskv2_detect_sample_type('x.mp4', NULL, head), 'video', 'a 4 MB unrecognised head falls back to the extension')
FROM big_files WHERE name = 'big.bin';
SELECT is(dskv2_detect_sample_type('data:application/pdf;base64,' || repeat('JVBERi0xLjQK', 100000)), 'pdf',
          'a 1 MB data: URL is read from its start');
SELECT is(dskv2_detect_sample_type(repeat('a/', 500000) || 'file.PDF'), 'unknown',
          'only the first 64 KiB of a source are read: a 1 MB path has no visible extension');

SELECT * FROM finish();
ROLLBACK;
