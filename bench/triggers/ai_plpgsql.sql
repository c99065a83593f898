-- One metered AI request through the PL/pgSQL equivalent. Variables: nusers (-D).
\set u random(1, :nusers)
SELECT bench.track_ai_usage('bench-tool', (SELECT id FROM bench.users WHERE n = :u), 120, 480);
