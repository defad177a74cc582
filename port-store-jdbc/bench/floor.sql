\set a random(1, 100000)
\set b random(1, 100000)
UPDATE floor SET v = v + 1 WHERE id = :a;
UPDATE floor SET v = v + 1 WHERE id = :b;
