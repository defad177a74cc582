\set n random(1, 1000000000)
WITH u AS (UPDATE port_slots SET tcp_allocation = 'a' || :n WHERE hostname = 'localhost' AND port_number = (SELECT port_number FROM port_slots WHERE hostname = 'localhost' AND port_number BETWEEN 20000 AND 29999 AND tcp_allocation IS NULL ORDER BY port_number LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING port_number)
SELECT coalesce((SELECT port_number FROM u), 0) AS port_number
\gset
UPDATE port_slots SET tcp_allocation = NULL WHERE hostname = 'localhost' AND port_number = :port_number;
