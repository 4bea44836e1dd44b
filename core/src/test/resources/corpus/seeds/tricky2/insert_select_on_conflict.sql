-- expect: none
-- seed: idempotent
INSERT INTO plan_features (plan_id, feature)
SELECT p.id, 'basic' FROM plans p
ON CONFLICT DO NOTHING;
