// Golden trace text and the readable diff between two of them.
import { describe, expect, it } from 'vitest';
import { describeChanges, diffGolden, goldenLine } from '../../src/check/golden.ts';

const OLD = `# hasim golden trace: x, seed 1
     0.960s  leader      master-1/etcd  became etcd leader (term 1)
    16.912s  leader      master-3/kube-scheduler  became kube-scheduler leader
    30.000s  fault       kill etcd:leader  kill etcd:leader → master-1/etcd
    31.500s  process     master-1/kube-scheduler  kubelet restarts it in 10s (back-off)
    31.500s  process     master-1/kube-scheduler  kubelet restarts it in 10s (back-off)
`;

describe('golden traces', () => {
  it('formats one line per event, seconds to the millisecond', () => {
    expect(goldenLine({ at: 16.9121, kind: 'leader', subject: 'master-3/kube-scheduler', detail: 'became kube-scheduler leader' }))
      .toBe('   16.912s  leader      master-3/kube-scheduler  became kube-scheduler leader');
    expect(goldenLine({ at: 2, kind: 'notice', subject: 'lb-1', detail: 'two\nlines' })).toBe('    2.000s  notice      lb-1  two lines');
  });

  it('finds no change in an identical trace, whatever the comments say', () => {
    expect(diffGolden(OLD, OLD.replace('# hasim golden trace: x, seed 1', '# other'))).toEqual([]);
  });

  it('describes moved, new and gone lines, in time order', () => {
    const NEW = OLD
      .replace('    16.912s  leader      master-3/kube-scheduler', '    17.200s  leader      master-3/kube-scheduler')
      .replace(/ {4}31\.500s.*\n/, '')
      .replace('     0.960s', '     0.500s  leader      master-2/etcd  stopped leading etcd: lost\n     0.960s');
    expect(describeChanges(diffGolden(OLD, NEW))).toEqual([
      'new: 0.500s master-2/etcd stopped leading etcd: lost',
      'master-3/kube-scheduler became kube-scheduler leader at 17.200s (was 16.912s)',
      'gone: 31.500s master-1/kube-scheduler kubelet restarts it in 10s (back-off)',
    ]);
  });

  it('caps the description', () => {
    const many = Array.from({ length: 30 }, (_, i) => `    ${i}.000s  pod  w  p${i}`).join('\n');
    const lines = describeChanges(diffGolden('', many), 5);
    expect(lines).toHaveLength(6);
    expect(lines[5]).toBe('… and 25 more');
  });
});
