-- clickhouse: drift accumulators of the golden profile (1 group)
-- scalars
SELECT count(*),
  min(CASE WHEN ifNull(isFinite(f0), 0) THEN f0 END),
  max(CASE WHEN ifNull(isFinite(f0), 0) THEN f0 END),
  sum(CASE WHEN ifNull(isFinite(f0), 0) AND f0 < -1.5 THEN -1.5 - f0 END),
  sum(CASE WHEN ifNull(isFinite(f0), 0) AND f0 > 99.25 THEN f0 - 99.25 END),
  count(CASE WHEN ifNull(isFinite(f0), 0) AND (f0 < -1.5 OR f0 > 99.25) THEN 1 END),
  0,
  min(CASE WHEN ifNull(isFinite(f1), 0) THEN f1 END),
  max(CASE WHEN ifNull(isFinite(f1), 0) THEN f1 END),
  sum(CASE WHEN ifNull(isFinite(f1), 0) AND f1 < 0.0 THEN 0.0 - f1 END),
  sum(CASE WHEN ifNull(isFinite(f1), 0) AND f1 > 1.0 THEN f1 - 1.0 END),
  count(CASE WHEN ifNull(isFinite(f1), 0) AND (f1 < 0.0 OR f1 > 1.0) THEN 1 END),
  count(CASE WHEN f1t THEN 1 END),
  min(f2),
  max(f2) FROM (SELECT ifNull(toFloat64(`amount`), nan) AS f0, ifNull(if(match(replaceRegexpAll(`score`, '^[ ]+|[ ]+$', ''), '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'), toFloat64OrNull(replaceRegexpAll(`score`, '^[ ]+|[ ]+$', '')), NULL), nan) AS f1, (`score` IS NOT NULL AND NOT match(lower(replaceRegexpAll(`score`, '^[ ]+|[ ]+$', '')), '^([+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([e][+-]?[0-9]+)?|[+-]?inf|[+-]?infinity|nan|)$')) AS f1t, CASE WHEN lower(replaceRegexpAll(`country`, '^[ ]+|[ ]+$', '')) = '' OR lower(replaceRegexpAll(`country`, '^[ ]+|[ ]+$', '')) = 'nan' THEN NULL ELSE `country` END AS f2 FROM `analytics`.`events` WHERE (ts >= '2024-02-01' AND ts < '2024-03-01') AND (CASE WHEN lower(replaceRegexpAll(`label`, '^[ ]+|[ ]+$', '')) = '' OR lower(replaceRegexpAll(`label`, '^[ ]+|[ ]+$', '')) = 'nan' THEN NULL ELSE `label` END IS NOT NULL)) AS src;
-- bucket counts
WITH [-1.5, 0.1, 2.0, 7.25, 99.25, inf, inf, inf] AS g0,
  (0 + (arrayElement(g0, 0 + 4) < f0) * 4) AS p0_4,
  (p0_4 + (arrayElement(g0, p0_4 + 2) < f0) * 2) AS p0_2,
  (p0_2 + (arrayElement(g0, p0_2 + 1) < f0) * 1) AS p0_1,
  [1e-7, 2.0, 4.5, inf] AS g1,
  (0 + (arrayElement(g1, 0 + 2) < f0) * 2) AS p1_2,
  (p1_2 + (arrayElement(g1, p1_2 + 1) < f0) * 1) AS p1_1,
  [0.0, 0.5, 1.0, inf] AS g2,
  (0 + (arrayElement(g2, 0 + 2) < f1) * 2) AS p2_2,
  (p2_2 + (arrayElement(g2, p2_2 + 1) < f1) * 1) AS p2_1,
  [0.25, 0.75, inf, inf] AS g3,
  (0 + (arrayElement(g3, 0 + 2) < f1) * 2) AS p3_2,
  (p3_2 + (arrayElement(g3, p3_2 + 1) < f1) * 1) AS p3_1
SELECT sumMap([toInt32(if(ifNull(isFinite(f0), 0), p0_1 * 2 + (arrayElement(g0, p0_1 + 1) = f0), 11))], [toUInt64(1)]),
  sumMap([toInt32(if(ifNull(isFinite(f0), 0), p1_1 * 2 + (arrayElement(g1, p1_1 + 1) = f0), 7))], [toUInt64(1)]),
  sumMap([toInt32(if(ifNull(isFinite(f1), 0), p2_1 * 2 + (arrayElement(g2, p2_1 + 1) = f1), 7))], [toUInt64(1)]),
  sumMap([toInt32(if(ifNull(isFinite(f1), 0), p3_1 * 2 + (arrayElement(g3, p3_1 + 1) = f1), 5))], [toUInt64(1)]),
  sumMap([toInt32(if(isNull(f2), 3, transform(assumeNotNull(f2), ['DE', 'Côte d\'Ivoire'], [0, 1], 2)))], [toUInt64(1)]) FROM (SELECT ifNull(toFloat64(`amount`), nan) AS f0, ifNull(if(match(replaceRegexpAll(`score`, '^[ ]+|[ ]+$', ''), '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'), toFloat64OrNull(replaceRegexpAll(`score`, '^[ ]+|[ ]+$', '')), NULL), nan) AS f1, (`score` IS NOT NULL AND NOT match(lower(replaceRegexpAll(`score`, '^[ ]+|[ ]+$', '')), '^([+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([e][+-]?[0-9]+)?|[+-]?inf|[+-]?infinity|nan|)$')) AS f1t, CASE WHEN lower(replaceRegexpAll(`country`, '^[ ]+|[ ]+$', '')) = '' OR lower(replaceRegexpAll(`country`, '^[ ]+|[ ]+$', '')) = 'nan' THEN NULL ELSE `country` END AS f2 FROM `analytics`.`events` WHERE (ts >= '2024-02-01' AND ts < '2024-03-01') AND (CASE WHEN lower(replaceRegexpAll(`label`, '^[ ]+|[ ]+$', '')) = '' OR lower(replaceRegexpAll(`label`, '^[ ]+|[ ]+$', '')) = 'nan' THEN NULL ELSE `label` END IS NOT NULL)) AS src;
-- new categories of country
SELECT f2, count(*) AS n FROM (SELECT ifNull(toFloat64(`amount`), nan) AS f0, ifNull(if(match(replaceRegexpAll(`score`, '^[ ]+|[ ]+$', ''), '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'), toFloat64OrNull(replaceRegexpAll(`score`, '^[ ]+|[ ]+$', '')), NULL), nan) AS f1, (`score` IS NOT NULL AND NOT match(lower(replaceRegexpAll(`score`, '^[ ]+|[ ]+$', '')), '^([+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([e][+-]?[0-9]+)?|[+-]?inf|[+-]?infinity|nan|)$')) AS f1t, CASE WHEN lower(replaceRegexpAll(`country`, '^[ ]+|[ ]+$', '')) = '' OR lower(replaceRegexpAll(`country`, '^[ ]+|[ ]+$', '')) = 'nan' THEN NULL ELSE `country` END AS f2 FROM `analytics`.`events` WHERE (ts >= '2024-02-01' AND ts < '2024-03-01') AND (CASE WHEN lower(replaceRegexpAll(`label`, '^[ ]+|[ ]+$', '')) = '' OR lower(replaceRegexpAll(`label`, '^[ ]+|[ ]+$', '')) = 'nan' THEN NULL ELSE `label` END IS NOT NULL)) AS src WHERE if(isNull(f2), 3, transform(assumeNotNull(f2), ['DE', 'Côte d\'Ivoire'], [0, 1], 2)) = 2 GROUP BY f2 ORDER BY n DESC, f2 LIMIT 1000;
-- order statistics (profiling)
SELECT [arrayElement(s0, 1), arrayElement(s0, 10), arrayElement(s0, 49), arrayElement(s0, 98)] FROM (SELECT arraySort(groupArrayIf(f0, ifNull(isFinite(f0), 0))) AS s0 FROM (SELECT ifNull(toFloat64(`amount`), nan) AS f0, ifNull(if(match(replaceRegexpAll(`score`, '^[ ]+|[ ]+$', ''), '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'), toFloat64OrNull(replaceRegexpAll(`score`, '^[ ]+|[ ]+$', '')), NULL), nan) AS f1, (`score` IS NOT NULL AND NOT match(lower(replaceRegexpAll(`score`, '^[ ]+|[ ]+$', '')), '^([+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([e][+-]?[0-9]+)?|[+-]?inf|[+-]?infinity|nan|)$')) AS f1t, CASE WHEN lower(replaceRegexpAll(`country`, '^[ ]+|[ ]+$', '')) = '' OR lower(replaceRegexpAll(`country`, '^[ ]+|[ ]+$', '')) = 'nan' THEN NULL ELSE `country` END AS f2 FROM `analytics`.`events` WHERE (ts >= '2024-02-01' AND ts < '2024-03-01') AND (CASE WHEN lower(replaceRegexpAll(`label`, '^[ ]+|[ ]+$', '')) = '' OR lower(replaceRegexpAll(`label`, '^[ ]+|[ ]+$', '')) = 'nan' THEN NULL ELSE `label` END IS NOT NULL)) AS src);
-- stratified training sample
SELECT s0, s1, s2, s3 FROM (SELECT ifNull(toFloat64(`amount`), nan) AS s0, ifNull(if(match(replaceRegexpAll(`score`, '^[ ]+|[ ]+$', ''), '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'), toFloat64OrNull(replaceRegexpAll(`score`, '^[ ]+|[ ]+$', '')), NULL), nan) AS s1, CASE WHEN lower(replaceRegexpAll(`country`, '^[ ]+|[ ]+$', '')) = '' OR lower(replaceRegexpAll(`country`, '^[ ]+|[ ]+$', '')) = 'nan' THEN NULL ELSE `country` END AS s2, CASE WHEN lower(replaceRegexpAll(`label`, '^[ ]+|[ ]+$', '')) = '' OR lower(replaceRegexpAll(`label`, '^[ ]+|[ ]+$', '')) = 'nan' THEN NULL ELSE `label` END AS s3, CASE WHEN lower(replaceRegexpAll(`label`, '^[ ]+|[ ]+$', '')) = '' OR lower(replaceRegexpAll(`label`, '^[ ]+|[ ]+$', '')) = 'nan' THEN NULL ELSE `label` END AS lk FROM `analytics`.`events` WHERE (ts >= '2024-02-01' AND ts < '2024-03-01')) AS src WHERE lk = 'fraud' ORDER BY cityHash64(ifNull(toString(s0), ''), ifNull(toString(s1), ''), ifNull(toString(s2), ''), ifNull(toString(s3), ''), '42') LIMIT 12;
SELECT s0, s1, s2, s3 FROM (SELECT ifNull(toFloat64(`amount`), nan) AS s0, ifNull(if(match(replaceRegexpAll(`score`, '^[ ]+|[ ]+$', ''), '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'), toFloat64OrNull(replaceRegexpAll(`score`, '^[ ]+|[ ]+$', '')), NULL), nan) AS s1, CASE WHEN lower(replaceRegexpAll(`country`, '^[ ]+|[ ]+$', '')) = '' OR lower(replaceRegexpAll(`country`, '^[ ]+|[ ]+$', '')) = 'nan' THEN NULL ELSE `country` END AS s2, CASE WHEN lower(replaceRegexpAll(`label`, '^[ ]+|[ ]+$', '')) = '' OR lower(replaceRegexpAll(`label`, '^[ ]+|[ ]+$', '')) = 'nan' THEN NULL ELSE `label` END AS s3, CASE WHEN lower(replaceRegexpAll(`label`, '^[ ]+|[ ]+$', '')) = '' OR lower(replaceRegexpAll(`label`, '^[ ]+|[ ]+$', '')) = 'nan' THEN NULL ELSE `label` END AS lk FROM `analytics`.`events` WHERE (ts >= '2024-02-01' AND ts < '2024-03-01')) AS src WHERE lk = 'ok' ORDER BY cityHash64(ifNull(toString(s0), ''), ifNull(toString(s1), ''), ifNull(toString(s2), ''), ifNull(toString(s3), ''), '42') LIMIT 88;
