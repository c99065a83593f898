-- A database in another encoding: text is converted to UTF-8 for the core and back.
-- The suite's own database, to come back to (contrib_regression, or another with --use-existing).
\set suite_db :DBNAME
SET client_min_messages = warning;
DROP DATABASE IF EXISTS dskv2_latin1;
CREATE DATABASE dskv2_latin1 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
RESET client_min_messages;
\c dskv2_latin1
SET client_encoding = 'UTF8';
CREATE EXTENSION dropskills_v2;
SELECT dskv2_slugify('Crème brûlée & Straße') AS slug,
       dskv2_slugify('à la carte', '·') AS latin1_separator,
       dskv2_detect_sample_type(NULL, 'Vidéo') AS format_word;
\c :suite_db
DROP DATABASE dskv2_latin1;
