// Tour highlights on the page: which drawn elements a highlight target stands for, marked with a CSS class.
import { type NamesCluster, parseTarget } from '../../../src/index.ts';

const CLASS = 'tour-hl';

/** Timeline row labels of the tour's lane names (web/src/views/rows.ts). */
const LANE_LABELS: Record<string, (label: string) => boolean> = {
  etcd: (l) => l === 'etcd raft leader',
  'kube-scheduler': (l) => l === 'scheduler Lease',
  'kube-controller-manager': (l) => l === 'controller-mgr Lease',
  quorum: (l) => l === 'etcd quorum',
  'api-read': (l) => l === 'API reads',
  'api-write': (l) => l === 'API writes',
  network: (l) => l === 'network',
  nodes: (l) => l.startsWith('worker-'),
};

const attr = (name: string, value: string): string => `[${name}="${CSS.escape(value)}"]`;

/** The elements a target stands for in the picture and the timeline. */
function elementsOf(target: string, cluster: NamesCluster): Element[] {
  const all = (selector: string): Element[] => [...document.querySelectorAll(selector)];
  if (target === 'vip') return [...all('text.tag.vip'), ...all('[data-process$="/keepalived"]')];
  if (target.startsWith('lane:')) {
    const lane = target.slice(5);
    if (lane === 'faults') return all('#timeline .faults');
    const match = LANE_LABELS[lane];
    return match ? all('#timeline .labels text.main').filter((t) => match(t.textContent ?? '')) : [];
  }
  const backend = /^backend:([^/]+)\/(.+)$/.exec(target);
  if (backend) {
    const server = backend[1]!.startsWith('etcd-lb') ? `${backend[2]}/etcd` : `${backend[2]}/kube-apiserver`;
    return [...all(attr('data-process', `${backend[1]}/haproxy`)), ...all(attr('data-process', server))];
  }
  const ref = parseTarget(target, cluster);
  if (!ref) return [];
  if (ref.kind === 'machine') return all(attr('data-machine', ref.machine));
  if (ref.kind === 'process') return all(attr('data-process', `${ref.machine}/${ref.component}`));
  if (ref.kind === 'etcd-member') return all(attr('data-process', `${ref.machine}/etcd`));
  return [];
}

/** Mark exactly the elements of `targets` (the views redraw, so this runs every frame while a tour is on). */
export function applyHighlights(targets: readonly string[], cluster: NamesCluster | null): void {
  const wanted = new Set(cluster ? targets.flatMap((t) => elementsOf(t, cluster)) : []);
  for (const e of [...document.querySelectorAll(`.${CLASS}`)]) if (!wanted.has(e)) e.classList.remove(CLASS);
  for (const e of wanted) e.classList.add(CLASS);
}
