-- dskv2_slugify: the SQL-visible contract of docs/mapping.md, "Slugs".
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dropskills_v2;
RESET client_min_messages;

SELECT input, dskv2_slugify(input) AS slug
FROM (VALUES
    ('Formation Complète : Créer son E-commerce (2024)'),
    ('This is a test ---'),
    ('crème brûlée'),
    ('cr&egrave;me br&ucirc;l&eacute;e'),       -- entities decoded first
    ('Pâtisserie &amp; Boulangerie'),
    ('&#233;t&#xE9;'),
    ('Œuvres complètes, cœur, Æsop'),
    ('Straße'),
    ('Øresund ø'),
    ('Łódź ł'),
    ('Þingvellir þ'),
    ('L’IA pour les nuls'),                     -- typographic apostrophe separates
    ('l''été indien'),
    ('I ♥ Paris'),                               -- symbols dropped, never spelled out
    ('Prix : 100€ seulement'),
    ('Les 10 clés du succès 🚀🚀'),
    ('1,000 reasons you are #1'),               -- a comma between digits is dropped
    ('1, 2, 3 partez'),
    ('Ψυχολογία'),
    ('Компьютер'),
    ('Россия'),
    ('北京'),
    ('  --Déjà   vu--  '),
    (''),
    ('🚀 ♥ € © ™'),
    ('ﬁnance ½ x²')
) AS t(input);

-- Separator and whole-word max_length.
SELECT dskv2_slugify('Formation Complète Créer son E-commerce', '_') AS underscore,
       dskv2_slugify('Formation Complète Créer son E-commerce', '.') AS dot,
       dskv2_slugify('Formation Complète Créer son E-commerce', '--') AS double_dash;
SELECT n, dskv2_slugify('Formation Complète Créer son E-commerce', '-', n) AS slug
FROM (VALUES (0), (5), (9), (17), (18), (24), (100)) AS m(n);
SELECT dskv2_slugify('Anticonstitutionnellement', '-', 10) = '' AS first_word_too_long;

-- STRICT: NULL in, NULL out.
SELECT dskv2_slugify(NULL) IS NULL AS null_input, dskv2_slugify('x', NULL) IS NULL AS null_separator;

-- Bad arguments: 22023 with a clear message.
SELECT dskv2_slugify('x', '');
SELECT dskv2_slugify('x', 'a');
SELECT dskv2_slugify('x', '_9_');
SELECT dskv2_slugify('x', '-', -1);
\set VERBOSITY sqlstate
SELECT dskv2_slugify('x', '');
SELECT dskv2_slugify('x', 'Z');
SELECT dskv2_slugify('x', '-', -5);
\set VERBOSITY default

-- Invariants over messy generated titles: output matches the slug pattern,
-- slugify is idempotent, max_length is respected.
CREATE TEMP TABLE messy AS
SELECT g, concat_ws(' ',
    (ARRAY['Formation', 'L’IA', 'crème', 'Œuvre', '🚀', 'Straße', 'Ψ', 'Москва', '北京', '&eacute;t&eacute;', '1,000', '--', '''', '♥'])[1 + g % 14],
    (ARRAY['Complète', 'pour', 'les', 'NULS', '(2024)', 'E-commerce', '&amp;', '…', 'ﬁn', '½'])[1 + (g * 7) % 10],
    chr(32 + (g * 31) % 1200), chr(880 + (g * 13) % 400), md5(g::text)) AS title
FROM generate_series(1, 20000) g;
SELECT count(*) FILTER (WHERE dskv2_slugify(title) !~ '^([a-z0-9]+(-[a-z0-9]+)*)?$') AS pattern_violations,
       count(*) FILTER (WHERE dskv2_slugify(dskv2_slugify(title)) <> dskv2_slugify(title)) AS not_idempotent,
       count(*) FILTER (WHERE length(dskv2_slugify(title, '-', 20)) > 20) AS too_long,
       count(*) FILTER (WHERE dskv2_slugify(title, '_') !~ '^([a-z0-9]+(_[a-z0-9]+)*)?$') AS underscore_violations
FROM messy;
