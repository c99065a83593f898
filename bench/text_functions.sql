-- Benchmark data and timing harness for the native text functions.
-- 1M realistic legacy rows: French training-pack titles (accents, ligatures,
-- punctuation, typographic apostrophes, some emoji and HTML entities) and
-- sample URLs with format hints, generated deterministically.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dropskills_v2;
CREATE EXTENSION IF NOT EXISTS unaccent;

DROP TABLE IF EXISTS bench_rows;
CREATE TABLE bench_rows AS
SELECT g AS id,
       concat_ws(' ',
           (ARRAY['Formation', 'Cours', 'Pack', 'Guide', 'Masterclass', 'Atelier', 'Méthode', 'Programme'])[1 + g % 8],
           (ARRAY['complète', 'avancée', 'express', 'premium', 'débutant', 'intensive', 'pratique'])[1 + (g / 8) % 7],
           (ARRAY[':', '—', '-', '|', '·', ','])[1 + (g / 56) % 6],
           (ARRAY['Créer son e-commerce', 'L’IA pour les nuls', 'Pâtisserie &amp; boulangerie',
                  'Réussir sur Instagram', 'Développement personnel', 'Marketing d''influence',
                  'Œnologie et dégustation', 'Vendre 1,000 ebooks/mois', 'Excel : fonctions clés',
                  'Photographie & retouche', 'Prise de parole en public', 'Gestion du stress'])[1 + (g / 336) % 12],
           CASE WHEN g % 10 = 0 THEN '🚀' WHEN g % 10 = 1 THEN '(' || (2019 + g % 7) || ')' ELSE NULL END,
           CASE WHEN g % 4 = 0 THEN 'niveau ' || (ARRAY['A1', 'B2', 'C1', 'expert'])[1 + (g / 4) % 4] END
       ) AS title,
       'https://' || (ARRAY['cdn.dropskills.fr/samples/', 'www.youtube.com/watch?v=', 'storage.example.com/packs/',
                            'vimeo.com/', 'docs.google.com/document/d/', 'files.dropskills.fr/'])[1 + g % 6]
           || md5(g::text)
           || (ARRAY['.pdf', '', '.mp4', '', '', '.zip', '.MP3', '.docx', '.png', ''])[1 + (g / 6) % 10]
           AS url,
       (ARRAY['PDF', 'Vidéo', 'application/pdf', NULL, 'audio', 'video/mp4', 'Document', NULL])[1 + g % 8] AS hint
FROM generate_series(1, 1000000) g;
ANALYZE bench_rows;

CREATE OR REPLACE FUNCTION pg_temp.bench_ms(query text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    started timestamptz;
BEGIN
    started := clock_timestamp();
    EXECUTE query;
    RETURN extract(epoch FROM clock_timestamp() - started) * 1000;
END $$;

-- Rounds interleave the queries so machine noise hits them alike; medians per query.
CREATE TEMP TABLE bench_timings (round int, name text, ms float8);
DO $$
DECLARE
    queries text[][] := ARRAY[
        ['scan',        'SELECT count(title) FROM bench_rows'],
        ['lower',       'SELECT count(lower(title)) FROM bench_rows'],
        ['slugify',     'SELECT count(dskv2_slugify(title)) FROM bench_rows'],
        ['sql_recipe',  $q$SELECT count(trim(both '-' from regexp_replace(lower(unaccent(title)), '[^a-z0-9]+', '-', 'g'))) FROM bench_rows$q$],
        ['url_scan',    'SELECT count(url) FROM bench_rows'],
        ['url_lower',   'SELECT count(lower(url)) FROM bench_rows'],
        ['detect',      'SELECT count(dskv2_detect_sample_type(url, hint)) FROM bench_rows']];
    r int;
    i int;
BEGIN
    PERFORM pg_temp.bench_ms(queries[1][2]);  -- warm the cache
    FOR r IN 1..current_setting('dskv2_bench.rounds')::int LOOP
        FOR i IN 1..array_length(queries, 1) LOOP
            INSERT INTO bench_timings VALUES (r, queries[i][1], pg_temp.bench_ms(queries[i][2]));
        END LOOP;
    END LOOP;
END $$;

CREATE TEMP VIEW bench_median AS
SELECT name, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms FROM bench_timings GROUP BY name;

\pset footer off
\echo 'median milliseconds over 1,000,000 rows:'
SELECT name, round(ms::numeric, 1) AS median_ms FROM bench_median ORDER BY name;

\echo 'ratios (whole query; per-row = net of the plain scan of the same column):'
WITH m AS (SELECT jsonb_object_agg(name, ms) AS j FROM bench_median)
SELECT comparison, round(whole::numeric, 2) AS whole_query_ratio, round(per_row::numeric, 2) AS per_row_ratio, target
FROM m, LATERAL (VALUES
    ('dskv2_slugify vs lower()',
        (j->>'slugify')::float8 / (j->>'lower')::float8,
        ((j->>'slugify')::float8 - (j->>'scan')::float8) / ((j->>'lower')::float8 - (j->>'scan')::float8),
        '<= 2x'),
    ('SQL unaccent/regexp recipe vs dskv2_slugify',
        (j->>'sql_recipe')::float8 / (j->>'slugify')::float8,
        ((j->>'sql_recipe')::float8 - (j->>'scan')::float8) / ((j->>'slugify')::float8 - (j->>'scan')::float8),
        '>= 10x'),
    ('dskv2_detect_sample_type vs lower()',
        (j->>'detect')::float8 / (j->>'url_lower')::float8,
        ((j->>'detect')::float8 - (j->>'url_scan')::float8) / ((j->>'url_lower')::float8 - (j->>'url_scan')::float8),
        '<= 3x')
) AS v(comparison, whole, per_row, target);
