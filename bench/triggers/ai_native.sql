-- One metered AI request through the native function. Variables: nusers (-D).
\set u random(1, :nusers)
SELECT dskv2_track_ai_usage('bench-tool', (SELECT id FROM bench.users WHERE n = :u), 120, 480);
