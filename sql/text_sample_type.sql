-- dskv2_detect_sample_type: the SQL-visible contract of docs/mapping.md, "Sample types".
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dropskills_v2;
RESET client_min_messages;

SELECT source, hint, dskv2_detect_sample_type(source, hint) AS type
FROM (VALUES
    ('https://cdn.dropskills.fr/samples/Guide%20Complet.PDF', 'PDF'),
    ('https://www.youtube.com/watch?v=abc', 'Vidéo'),
    ('youtu.be/xyz', NULL),
    ('https://music.youtube.com/watch?v=abc', NULL),
    ('https://vimeo.com/123456', NULL),
    ('https://open.spotify.com/episode/42', NULL),
    ('https://docs.google.com/document/d/abc/edit', NULL),
    ('https://docs.google.com/spreadsheets/d/abc/edit', NULL),
    ('https://docs.google.com/presentation/d/abc/edit', NULL),
    ('https://www.canva.com/design/DAF/view', NULL),
    ('https://drive.google.com/drive/folders/abc', NULL),
    ('extrait.mp3', 'audio/mpeg'),
    ('x.mp4', 'application/pdf'),                -- a specific MIME beats the extension
    ('a.mp3', 'Vidéo'),                          -- the extension beats a format word
    ('modele.xlsx', 'application/octet-stream'), -- a generic MIME is refined by the extension
    ('cours.pdf.gz', NULL),
    ('playlist.m3u8?token=1#t=2', NULL),
    ('IMAGE.JPEG', NULL),
    ('livre.epub', NULL),
    ('sous-titres.vtt', NULL),
    ('https://example.com/formation', NULL),
    ('https://example.com/page.php?id=3', NULL),
    ('www.example.com', NULL),
    ('data:application/pdf;base64,JVBERi0xLjQK', NULL),
    ('setup.exe', NULL),
    ('image-disque.iso', NULL),
    (NULL, 'Vidéo'),
    (NULL, 'livre audio'),
    (NULL, 'Tableur'),
    (NULL, 'n''importe quoi'),
    (NULL, NULL),
    ('', ''),
    ('%%%', NULL),
    ('http://', NULL)
) AS s(source, hint);

-- Magic bytes beat everything else.
SELECT name, dskv2_detect_sample_type(source, hint, head) AS type
FROM (VALUES
    ('pdf named mp4',   'apercu.mp4', NULL, E'\\x255044462d312e370a'::bytea),
    ('png',              NULL, NULL, E'\\x89504e470d0a1a0a0000000d49484452'::bytea),
    ('jpeg',             NULL, NULL, E'\\xffd8ffe000104a464946'::bytea),
    ('gif',              NULL, NULL, E'\\x474946383961'::bytea),
    ('zip',              NULL, NULL, E'\\x504b0304140000000800'::bytea),
    ('zip named epub',   'livre.epub', NULL, E'\\x504b0304140000000800'::bytea),
    ('zip named docx',   'cours.docx', NULL, E'\\x504b0304140000000800'::bytea),
    ('mp4 (isom)',       NULL, NULL, E'\\x000000206674797069736f6d0000020069736f6d'::bytea),
    ('m4a',              NULL, NULL, E'\\x00000020667479704d344120000000004d344120'::bytea),
    ('webm',             NULL, NULL, E'\\x1a45dfa3'::bytea),
    ('wav',              NULL, NULL, E'\\x524946462400000057415645666d7420'::bytea),
    ('ogg',              NULL, NULL, E'\\x4f67675300020000'::bytea),
    ('flac',             NULL, NULL, E'\\x664c614300000022'::bytea),
    ('mp3 id3',          NULL, NULL, E'\\x494433030000'::bytea),
    ('gzip',             NULL, NULL, E'\\x1f8b0800'::bytea),
    ('7z',               NULL, NULL, E'\\x377abcaf271c'::bytea),
    ('rar',              NULL, NULL, E'\\x526172211a0700'::bytea),
    ('elf',              'tool.pdf', NULL, E'\\x7f454c46020101'::bytea),
    ('plain text',       NULL, NULL, convert_to('Bonjour, voici le plan du cours.', 'UTF8')),
    ('html',             NULL, NULL, convert_to('<!DOCTYPE html><html><body>', 'UTF8')),
    ('binary junk',      NULL, NULL, E'\\x00ff00fe01'::bytea),
    ('empty head',       NULL, NULL, ''::bytea)
) AS h(name, source, hint, head);

-- A generic zip head is refined by a compatible specific MIME first, then by the
-- extension: the MIME wins over a compatible extension of another type.
SELECT name, dskv2_detect_sample_type(source, hint, E'\\x504b0304140000000800'::bytea) AS type
FROM (VALUES
    ('docx mime, xlsx name', 'report.xlsx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'),
    ('xlsx mime, docx name', 'rapport.docx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
    ('pptx mime, docx name', 'deck.docx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'),
    ('odt mime, xlsx name',  'lettre.xlsx', 'application/vnd.oasis.opendocument.text'),
    ('ods mime, docx name',  'comptes.docx', 'application/vnd.oasis.opendocument.spreadsheet'),
    ('epub mime, zip name',  'livre.zip', 'application/epub+zip'),
    ('pdf mime, docx name',  'cours.docx', 'application/pdf'),
    ('video mime, no name',  NULL, 'video/mp4'),
    ('zip mime, pptx name',  'cours.pptx', 'application/zip')
) AS z(name, source, hint);

-- Not STRICT: NULLs are answers, not errors.
SELECT dskv2_detect_sample_type(NULL) AS all_null,
       dskv2_detect_sample_type(NULL, NULL, NULL) AS three_nulls;

-- Never raises, whatever the bytes: deterministic pseudo-random heads, sources and hints.
SELECT dskv2_detect_sample_type(src, hint, head) AS type, count(*) > 0 AS seen
FROM (
    SELECT (ARRAY['https://', '', 'www.', 'data:', 'ftp://'])[1 + g % 5] || md5(g::text)
               || (ARRAY['.pdf', '.mp4', '', '/', '.docx', '?x=.zip', '.tar.gz'])[1 + g % 7] AS src,
           CASE WHEN g % 3 = 0 THEN NULL ELSE md5((g * 7)::text) END AS hint,
           decode(md5((g * 3)::text) || md5((g * 5)::text), 'hex') AS head
    FROM generate_series(1, 3000) g
) r
GROUP BY 1 ORDER BY 1;
SELECT count(DISTINCT dskv2_detect_sample_type(NULL, NULL, decode(repeat(md5(g::text), 1 + g % 50), 'hex'))) > 0 AS random_heads_ok
FROM generate_series(1, 5000) g;
