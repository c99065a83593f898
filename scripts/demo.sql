-- The demo: realistic legacy titles and sample URLs from a French training-pack
-- marketplace, through the extension's native functions.
\pset footer off
CREATE EXTENSION dropskills_v2;
SELECT extversion AS "dropskills_v2 version" FROM pg_extension WHERE extname = 'dropskills_v2';

\echo '--- dskv2_slugify: legacy titles to URL slugs'
SELECT title, dskv2_slugify(title) AS slug
FROM (VALUES
    ('Formation Complète : Créer son E-commerce (2024)'),
    ('L’IA pour les nuls — ChatGPT & Midjourney'),
    ('Les 10 clés du succès 🚀🚀'),
    ('Pâtisserie &amp; Boulangerie : œufs, crème brûlée…'),
    ('Ça marche ! Vendre 1,000 ebooks/mois'),
    ('Cours d''anglais – niveau B2'),
    ('  Développement personnel ♥  '),
    ('Straße, Øresund, Łódź, Þingvellir'),
    ('Ψυχολογία του χρήματος'),
    ('Маркетинг в социальных сетях'),
    ('北京 市场营销')
) AS t(title);

\echo '--- dskv2_slugify with a separator and a whole-word max_length'
SELECT dskv2_slugify('Formation Complète : Créer son E-commerce', '_') AS underscore,
       dskv2_slugify('Formation Complète : Créer son E-commerce', max_length => 25) AS max_25;

\echo '--- dskv2_detect_sample_type: what a buyer will open'
SELECT source, hint, dskv2_detect_sample_type(source, hint) AS type
FROM (VALUES
    ('https://cdn.dropskills.fr/samples/Guide%20Complet.PDF', 'PDF'),
    ('https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'Vidéo'),
    ('https://vimeo.com/76979871', NULL),
    ('extrait-chapitre-1.mp3', 'audio/mpeg'),
    ('https://docs.google.com/spreadsheets/d/1AbC/edit#gid=0', NULL),
    ('https://www.canva.com/design/DAF123/view', NULL),
    ('modele-business-plan.xlsx', 'application/octet-stream'),
    ('pack-complet.zip', NULL),
    ('livre-blanc.epub', NULL),
    ('https://dropskills.fr/formation/seo', NULL),
    (NULL, 'Vidéo'),
    ('installer.exe', NULL),
    (NULL, NULL)
) AS s(source, hint);

\echo '--- magic bytes win over a misleading name'
SELECT dskv2_detect_sample_type('apercu.mp4', NULL, '\x255044462d312e370a'::bytea) AS pdf_named_mp4,
       dskv2_detect_sample_type('data:application/pdf;base64,JVBERi0xLjQK') AS data_url;
