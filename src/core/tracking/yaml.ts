/**
 * The flat YAML that MLflow's file store writes for `meta.yaml` (PyYAML `safe_dump`, keys sorted, block style).
 * We only ever need one level of `key: scalar` (plus `tags: []`), so a small emitter/reader keeps the
 * output byte-compatible with what MLflow itself writes, without a YAML dependency.
 */

export type FlatYamlValue = string | number | boolean | null | [];
export type FlatYaml = Record<string, FlatYamlValue>;

// strings PyYAML would resolve to another type (int, float, bool, null) and therefore quotes
const AMBIGUOUS =
  /^(?:[-+]?(?:\d[\d_]*)?(?:\.[\d_]*)?(?:[eE][-+]?\d+)?|[-+]?0x[0-9a-fA-F_]+|[-+]?0o?[0-7_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|=)$/;

export function yamlScalar(v: FlatYamlValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return '[]';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '.nan';
    if (!Number.isFinite(v)) return v > 0 ? '.inf' : '-.inf';
    return String(v);
  }
  if (/[\x00-\x08\x0a-\x1f\x7f\u0085\u2028\u2029]/.test(v)) return JSON.stringify(v); // YAML double quotes accept JSON escapes
  const needsQuotes =
    v === '' ||
    AMBIGUOUS.test(v) ||
    /^[,[\]{}#&*!|>'"%@`\s]/.test(v) ||
    /^[-?:](\s|$)/.test(v) ||
    /\s$/.test(v) ||
    v.includes(': ') ||
    v.includes(' #') ||
    v.endsWith(':') ||
    v.includes('\t');
  return needsQuotes ? `'${v.replace(/'/g, "''")}'` : v;
}

/** PyYAML safe_dump(default_flow_style=False): one `key: value` line per key, keys sorted. */
export function dumpFlatYaml(obj: FlatYaml): string {
  return (
    Object.keys(obj)
      .sort()
      .map((k) => `${yamlScalar(k)}: ${yamlScalar(obj[k])}`)
      .join('\n') + '\n'
  );
}

/** Reads the flat `key: value` files MLflow (or we) wrote. Nested structures are not part of this format. */
export function parseFlatYaml(text: string): FlatYaml {
  const out: FlatYaml = {};
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim() || raw.trimStart().startsWith('#') || /^\s/.test(raw)) continue;
    const m = /^('(?:[^']|'')*'|[^:]+):(?:\s+(.*))?$/.exec(raw);
    if (!m) continue;
    out[String(parseScalar(m[1].trim()))] = parseScalar((m[2] ?? '').trim());
  }
  return out;
}

function parseScalar(s: string): FlatYamlValue {
  if (s === '' || s === 'null' || s === '~' || s === 'Null' || s === 'NULL') return null;
  if (s === '[]') return [];
  if (s.startsWith("'") && s.endsWith("'") && s.length >= 2) return s.slice(1, -1).replace(/''/g, "'");
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) {
    try {
      return JSON.parse(s) as string;
    } catch {
      return s.slice(1, -1);
    }
  }
  if (/^(true|True|TRUE)$/.test(s)) return true;
  if (/^(false|False|FALSE)$/.test(s)) return false;
  if (/^[-+]?\d+$/.test(s)) return Number(s);
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s);
  if (/^\.(nan|NaN|NAN)$/.test(s)) return NaN;
  if (/^[-+]?\.(inf|Inf|INF)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  return s;
}
