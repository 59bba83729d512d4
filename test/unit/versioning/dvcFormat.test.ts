import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { objectPath, parseDvcConfig, parseDvcFile, renderDvcFile, localRemotePath } from '../../../src/core/versioning/dvcFormat';

describe('versioning/DVC 3 formats', () => {
  it('writes the .dvc file exactly as `dvc add` (DVC 3) does', () => {
    assert.equal(
      renderDvcFile({ md5: 'd8e8fca2dc0f896fd7cb4cb0031ba249', size: 5, path: 'baseline.csv' }),
      'outs:\n- md5: d8e8fca2dc0f896fd7cb4cb0031ba249\n  size: 5\n  hash: md5\n  path: baseline.csv\n',
    );
  });

  it('reads .dvc files written by DVC 3 and DVC 2', () => {
    const v3 = 'outs:\n- md5: 3863d0e317dee0a55c4e59d2ec0eef33\n  size: 14445097\n  hash: md5\n  path: data.xml\n';
    assert.deepEqual(parseDvcFile(v3), { md5: '3863d0e317dee0a55c4e59d2ec0eef33', size: 14445097, path: 'data.xml', hash: 'md5' });
    const v2 = 'outs:\n- md5: 22a1a2931c8370d3aeedd7183606fd7f\n  size: 14445097\n  path: data.xml\n';
    assert.equal(parseDvcFile(v2).md5, '22a1a2931c8370d3aeedd7183606fd7f');
    assert.throws(() => parseDvcFile('outs: []\n', 'x.dvc'), /not a DVC file/);
  });

  it('places objects at files/md5/<2>/<30>', () => {
    assert.equal(objectPath('/c', '3863d0e317dee0a55c4e59d2ec0eef33'), path.join('/c', 'files', 'md5', '38', '63d0e317dee0a55c4e59d2ec0eef33'));
  });

  it('reads .dvc/config as `dvc remote add -d` writes it', () => {
    const cfg = "[core]\n    remote = storage\n['remote \"storage\"']\n    url = /mnt/dvc-store\n";
    const s = parseDvcConfig(cfg);
    assert.equal(s.get('core')!.get('remote'), 'storage');
    assert.equal(s.get('remote "storage"')!.get('url'), '/mnt/dvc-store');
    assert.equal(localRemotePath('/ws', '../store'), path.resolve('/ws/.dvc/../store'));
    assert.equal(localRemotePath('/ws', 's3://bucket/x'), undefined);
    assert.equal(localRemotePath('/ws', 'file:///mnt/x'), '/mnt/x');
  });
});
