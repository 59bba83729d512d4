-- duckdb: drift accumulators of the golden profile (1 group)
-- scalars
SELECT count(*),
  min(CASE WHEN coalesce(isfinite(f0), false) THEN f0 END),
  max(CASE WHEN coalesce(isfinite(f0), false) THEN f0 END),
  sum(CASE WHEN coalesce(isfinite(f0), false) AND f0 < -1.5e+0 THEN -1.5e+0 - f0 END),
  sum(CASE WHEN coalesce(isfinite(f0), false) AND f0 > 9.925e+1 THEN f0 - 9.925e+1 END),
  count(CASE WHEN coalesce(isfinite(f0), false) AND (f0 < -1.5e+0 OR f0 > 9.925e+1) THEN 1 END),
  0,
  min(CASE WHEN coalesce(isfinite(f1), false) THEN f1 END),
  max(CASE WHEN coalesce(isfinite(f1), false) THEN f1 END),
  sum(CASE WHEN coalesce(isfinite(f1), false) AND f1 < 0e+0 THEN 0e+0 - f1 END),
  sum(CASE WHEN coalesce(isfinite(f1), false) AND f1 > 1e+0 THEN f1 - 1e+0 END),
  count(CASE WHEN coalesce(isfinite(f1), false) AND (f1 < 0e+0 OR f1 > 1e+0) THEN 1 END),
  count(CASE WHEN f1t THEN 1 END),
  min(f2),
  max(f2) FROM (SELECT CAST("amount" AS DOUBLE) AS f0, CASE WHEN regexp_full_match(trim("score"), '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') THEN CAST(trim("score") AS DOUBLE) END AS f1, ("score" IS NOT NULL AND NOT regexp_full_match(lower(trim("score")), '^([+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([e][+-]?[0-9]+)?|[+-]?inf|[+-]?infinity|nan|)$')) AS f1t, CASE WHEN lower(trim("country")) = '' OR lower(trim("country")) = 'nan' THEN NULL ELSE "country" END AS f2 FROM "analytics"."events" WHERE (ts >= '2024-02-01' AND ts < '2024-03-01') AND (CASE WHEN lower(trim("label")) = '' OR lower(trim("label")) = 'nan' THEN NULL ELSE "label" END IS NOT NULL)) AS src;
-- bucket counts
SELECT histogram(f0, [-1.5e+0, 1e-1, 2e+0, 7.25e+0, 9.925e+1]) FILTER (WHERE coalesce(isfinite(f0), false)),
  histogram_exact(f0, [-1.5e+0, 1e-1, 2e+0, 7.25e+0, 9.925e+1]) FILTER (WHERE coalesce(isfinite(f0), false)),
  count(*) FILTER (WHERE NOT coalesce(isfinite(f0), false)),
  histogram(f0, [1e-7, 2e+0, 4.5e+0]) FILTER (WHERE coalesce(isfinite(f0), false)),
  histogram_exact(f0, [1e-7, 2e+0, 4.5e+0]) FILTER (WHERE coalesce(isfinite(f0), false)),
  count(*) FILTER (WHERE NOT coalesce(isfinite(f0), false)),
  histogram(f1, [0e+0, 5e-1, 1e+0]) FILTER (WHERE coalesce(isfinite(f1), false)),
  histogram_exact(f1, [0e+0, 5e-1, 1e+0]) FILTER (WHERE coalesce(isfinite(f1), false)),
  count(*) FILTER (WHERE NOT coalesce(isfinite(f1), false)),
  histogram(f1, [2.5e-1, 7.5e-1]) FILTER (WHERE coalesce(isfinite(f1), false)),
  histogram_exact(f1, [2.5e-1, 7.5e-1]) FILTER (WHERE coalesce(isfinite(f1), false)),
  count(*) FILTER (WHERE NOT coalesce(isfinite(f1), false)),
  histogram(CASE WHEN f2 IS NULL THEN 3 ELSE CASE f2 WHEN 'DE' THEN 0 WHEN 'Côte d''Ivoire' THEN 1 ELSE 2 END END) FROM (SELECT CAST("amount" AS DOUBLE) AS f0, CASE WHEN regexp_full_match(trim("score"), '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') THEN CAST(trim("score") AS DOUBLE) END AS f1, ("score" IS NOT NULL AND NOT regexp_full_match(lower(trim("score")), '^([+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([e][+-]?[0-9]+)?|[+-]?inf|[+-]?infinity|nan|)$')) AS f1t, CASE WHEN lower(trim("country")) = '' OR lower(trim("country")) = 'nan' THEN NULL ELSE "country" END AS f2 FROM "analytics"."events" WHERE (ts >= '2024-02-01' AND ts < '2024-03-01') AND (CASE WHEN lower(trim("label")) = '' OR lower(trim("label")) = 'nan' THEN NULL ELSE "label" END IS NOT NULL)) AS src;
-- new categories of country
SELECT f2, count(*) AS n FROM (SELECT CAST("amount" AS DOUBLE) AS f0, CASE WHEN regexp_full_match(trim("score"), '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') THEN CAST(trim("score") AS DOUBLE) END AS f1, ("score" IS NOT NULL AND NOT regexp_full_match(lower(trim("score")), '^([+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([e][+-]?[0-9]+)?|[+-]?inf|[+-]?infinity|nan|)$')) AS f1t, CASE WHEN lower(trim("country")) = '' OR lower(trim("country")) = 'nan' THEN NULL ELSE "country" END AS f2 FROM "analytics"."events" WHERE (ts >= '2024-02-01' AND ts < '2024-03-01') AND (CASE WHEN lower(trim("label")) = '' OR lower(trim("label")) = 'nan' THEN NULL ELSE "label" END IS NOT NULL)) AS src WHERE CASE WHEN f2 IS NULL THEN 3 ELSE CASE f2 WHEN 'DE' THEN 0 WHEN 'Côte d''Ivoire' THEN 1 ELSE 2 END END = 2 GROUP BY f2 ORDER BY n DESC, f2 LIMIT 1000;
-- order statistics (profiling)
SELECT 0 AS c, rn, v FROM (SELECT v, row_number() OVER (ORDER BY v) AS rn FROM (SELECT f0 AS v FROM (SELECT CAST("amount" AS DOUBLE) AS f0, CASE WHEN regexp_full_match(trim("score"), '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') THEN CAST(trim("score") AS DOUBLE) END AS f1, ("score" IS NOT NULL AND NOT regexp_full_match(lower(trim("score")), '^([+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([e][+-]?[0-9]+)?|[+-]?inf|[+-]?infinity|nan|)$')) AS f1t, CASE WHEN lower(trim("country")) = '' OR lower(trim("country")) = 'nan' THEN NULL ELSE "country" END AS f2 FROM "analytics"."events" WHERE (ts >= '2024-02-01' AND ts < '2024-03-01') AND (CASE WHEN lower(trim("label")) = '' OR lower(trim("label")) = 'nan' THEN NULL ELSE "label" END IS NOT NULL)) AS src) AS s0 WHERE coalesce(isfinite(v), false)) AS o0 WHERE rn IN (1, 10, 49, 98);
-- stratified training sample
SELECT s0, s1, s2, s3 FROM (SELECT s0, s1, s2, s3, lk AS sk, row_number() OVER (PARTITION BY lk ORDER BY hash(s0, s1, s2, s3, 42)) AS rn FROM (SELECT CAST("amount" AS DOUBLE) AS s0, CASE WHEN regexp_full_match(trim("score"), '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') THEN CAST(trim("score") AS DOUBLE) END AS s1, CASE WHEN lower(trim("country")) = '' OR lower(trim("country")) = 'nan' THEN NULL ELSE "country" END AS s2, CASE WHEN lower(trim("label")) = '' OR lower(trim("label")) = 'nan' THEN NULL ELSE "label" END AS s3, CASE WHEN lower(trim("label")) = '' OR lower(trim("label")) = 'nan' THEN NULL ELSE "label" END AS lk FROM "analytics"."events" WHERE (ts >= '2024-02-01' AND ts < '2024-03-01')) AS src) AS ranked WHERE rn <= CASE sk WHEN 'fraud' THEN 12 WHEN 'ok' THEN 88 ELSE 0 END ORDER BY sk, rn;
