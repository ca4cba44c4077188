// The upstream versions whose behaviour and defaults the model follows (printed by `hasim --version`; extend here).
import { DEFAULT_VERSIONS, ETCD_VERSIONS, KUBERNETES_VERSIONS } from './scenario/versions.ts';

export interface ModelledVersion {
  name: string;
  version: string;
  /** What of it the defaults and mechanisms follow. */
  note: string;
}

export const MODELLED_VERSIONS: readonly ModelledVersion[] = [
  {
    name: 'kubernetes', version: DEFAULT_VERSIONS.kubernetes,
    note: `by default; cluster.versions.kubernetes picks ${KUBERNETES_VERSIONS[0]}–${KUBERNETES_VERSIONS[KUBERNETES_VERSIONS.length - 1]} (node-monitor-grace-period 40s up to 1.31, 50s from 1.32)`,
  },
  {
    name: 'etcd', version: DEFAULT_VERSIONS.etcd,
    note: `by default; cluster.versions.etcd picks ${ETCD_VERSIONS.join(', ')} (pre-vote off in 3.4); heartbeat 100ms, election 1000ms`,
  },
  { name: 'haproxy', version: '2.x', note: 'inter 2s fall 3 rise 2, timeout connect 5s as in kubeadm\'s HA guide' },
  { name: 'keepalived', version: '2.x', note: 'VRRP advert_int 1s, vrrp_script weight tracking' },
];

/** `hasim 0.1.0` and one line per modelled component. */
export function versionText(hasimVersion: string): string {
  const width = Math.max(...MODELLED_VERSIONS.map((v) => `${v.name} ${v.version}`.length));
  const lines = MODELLED_VERSIONS.map((v) => `  ${`${v.name} ${v.version}`.padEnd(width)}  ${v.note}`);
  return [`hasim ${hasimVersion}`, 'models (defaults and behaviour follow):', ...lines].join('\n');
}
