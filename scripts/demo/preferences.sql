-- Demo digest preferences: a mix of cadences so every kind of digest appears.
INSERT INTO tidings.user_preferences (user_id, cadence, delivery_time, digest_per_deal) VALUES
    ('u-1', 'daily',     '08:30', false),   -- Ana Sousa, Lisbon, pt-PT
    ('u-2', 'daily',     '08:00', false),   -- João Pereira, São Paulo, pt-BR
    ('u-3', 'immediate', NULL,    false),   -- Emily Carter, New York, en: sees updates within seconds
    ('u-4', 'hourly',    NULL,    false),   -- Priya Raman, Kolkata (UTC+05:30), en
    ('u-5', 'daily',     '09:00', true),    -- Oliver Bennett, London, en: one digest per deal
    ('u-6', 'daily',     '07:30', false),   -- Mariana Araújo, Manaus, pt-BR
    ('u-7', 'immediate', NULL,    false),   -- Rui Gonçalves, Azores, pt-PT
    ('u-8', 'off',       NULL,    false)    -- Chloe Nguyen, Sydney: digests switched off
ON CONFLICT (user_id) DO UPDATE SET cadence = EXCLUDED.cadence, delivery_time = EXCLUDED.delivery_time,
    digest_per_deal = EXCLUDED.digest_per_deal;
-- Oliver muted the Northwind deal.
INSERT INTO tidings.deal_preferences (user_id, deal_id, muted) VALUES ('u-5', 'D-5', true)
ON CONFLICT (user_id, deal_id) DO UPDATE SET muted = true;
