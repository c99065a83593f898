-- The baseline: the same ai_usage row, inserted as is (tool id and cost
-- computed once by the driver). Variables: nusers, tool_id, cost (-D).
\set u random(1, :nusers)
INSERT INTO dropskills_v2.ai_usage (user_id, tool_id, input_tokens, output_tokens, cost)
VALUES ((SELECT id FROM bench.users WHERE n = :u), :tool_id, 120, 480, :cost)
RETURNING id;
