import { strict as assert } from 'node:assert';
import { dumpFlatYaml, parseFlatYaml, type FlatYaml } from '../../../src/core/tracking/yaml';
import { pyYamlDump, pyYamlLoad } from './helpers';

describe('tracking/yaml (MLflow meta.yaml)', () => {
  const tricky: FlatYaml = {
    experiment_id: '0',
    big_id: '615234907182394871',
    name: 'Model Training',
    empty: '',
    colon: 'a: b',
    hash: 'x #y',
    yes: 'yes',
    nul: 'null',
    float_like: '1.5',
    quote: "it's",
    leading: ' Flow Duration',
    dash: '-x',
    uri: 'file:///tmp/ws/mlruns/0',
    newline: 'a\nb',
    number: 1721450907221,
    none: null,
    list: [],
  };

  it('writes byte-for-byte what PyYAML safe_dump writes', () => {
    // PyYAML folds a string with a newline differently (multi-line); compare the single-line keys exactly
    const { newline, ...single } = tricky;
    assert.equal(dumpFlatYaml(single), pyYamlDump(single));
    // and the multi-line value must at least load back identically in PyYAML
    assert.deepEqual(pyYamlLoad(dumpFlatYaml({ newline })), { newline });
  });

  it('reads back what it writes, with types', () => {
    assert.deepEqual(parseFlatYaml(dumpFlatYaml(tricky)), tricky);
  });

  it('reads the run meta.yaml MLflow itself writes', () => {
    const mlflowWritten = [
      'artifact_uri: file:///Users/a/mlruns/606783375233873416/1c6b2d5b909041df93e6e00b960de019/artifacts',
      'end_time: 1721450907230',
      "entry_point_name: ''",
      "experiment_id: '606783375233873416'",
      'lifecycle_stage: active',
      'run_id: 1c6b2d5b909041df93e6e00b960de019',
      'run_name: wistful-ant-659',
      'source_type: 4',
      'status: 4',
      'tags: []',
      '',
    ].join('\n');
    const m = parseFlatYaml(mlflowWritten);
    assert.equal(m.experiment_id, '606783375233873416');
    assert.equal(m.end_time, 1721450907230);
    assert.equal(m.entry_point_name, '');
    assert.equal(m.status, 4);
    assert.deepEqual(m.tags, []);
  });
});
