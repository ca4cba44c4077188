// The control-plane models: kube-apiserver on every master, the two leader-elected components, and the probe client.
import type { BuildContext, Model } from '../cluster/models.ts';
import { controlPlaneEndpoint, etcdEndpointFor } from '../lb/model.ts';
import { etcdMemberProcess, lbMachines, machineIndex, type ClusterSpec } from '../scenario/index.ts';
import type { LeaderGroup } from './api.ts';
import { Apiserver } from './apiserver.ts';
import { LeaderComponent } from './component.ts';
import { FencingChecker } from './fencing.ts';
import { Prober } from './probe.ts';
import { together, type ControllerFactory } from '../worker/controller.ts';
import { NodeLifecycleController } from '../worker/nodelifecycle.ts';
import { longestRenewIntervalUs } from '../worker/kubelet.ts';
import { ReplicaSetController } from '../worker/replicaset.ts';
import { PodScheduler } from '../worker/scheduler.ts';
import type { Scenario } from '../scenario/index.ts';
import { versionProfile } from '../scenario/versions.ts';

/** kube-apiserver --request-timeout default. */
const REQUEST_TIMEOUT_US = 60_000_000;


/** The etcd endpoints an apiserver on master-i uses (SPEC §2 apiserverEtcd; kubeadm: stacked → local, external → all). */
export function etcdTargets(cluster: ClusterSpec, i: number): string[] {
  const all = Array.from({ length: cluster.etcdMembers }, (_, j) => etcdMemberProcess(cluster, j + 1));
  switch (cluster.apiserverEtcd) {
    case 'local':
      return [etcdMemberProcess(cluster, ((i - 1) % cluster.etcdMembers) + 1)];
    case 'lb':
      return [etcdEndpointFor(cluster, i)];
    default:
      return all;
  }
}

/** The one machine every client depends on, if the cluster has one (one LB without a VIP, or no LB). */
export function singlePointOfFailure(cluster: ClusterSpec): { machine: string; note: string } | null {
  const lb = cluster.loadBalancer;
  if (lb.count === 0) {
    return { machine: 'master-1', note: 'SINGLE POINT OF FAILURE: no load balancer, every client talks to master-1\'s apiserver' };
  }
  if (lb.vip === 'none') {
    const first = lbMachines(cluster)[0]!;
    return { machine: first, note: `SINGLE POINT OF FAILURE: every client goes through ${first} (one load balancer endpoint, no VIP)` };
  }
  return null;
}

export const apiserverModel: Model = {
  component: 'kube-apiserver',
  actor(machine, b) {
    const { cluster, params } = b.scenario;
    const cfg = {
      etcdTargets: etcdTargets(cluster, machineIndex(machine.name)),
      etcdMode: cluster.apiserverEtcd,
      etcdCheckTimeoutUs: params.apiserver.etcdCheckTimeout,
      livenessRestart: params.apiserver.livenessRestart,
      requestTimeoutUs: REQUEST_TIMEOUT_US,
    };
    return () => new Apiserver(cfg);
  },
  setup(b) {
    const endpoint = controlPlaneEndpoint(b.scenario.cluster);
    const spof = singlePointOfFailure(b.scenario.cluster);
    if (spof) b.sim.at(0, 'notice', () => b.sim.observe('notice', spof.machine, { spof: true, note: spof.note }));
    const probe = b.scenario.params.probe;
    b.sim.addProcess({ machine: 'client', component: 'kubectl', make: () => new Prober({ endpoint, intervalUs: probe.interval, timeoutUs: probe.timeout }) });
    const fencing = new FencingChecker(b.sim);
    b.onFinish(() => {
      for (const group of ['kube-scheduler', 'kube-controller-manager'] as const) {
        b.metrics.trackers.get(group)!.setStaleActions(fencing.staleActions(group));
      }
    });
  },
};

/** What each leader runs (none when the cluster has no workers: the control-plane studies stay as they were). */
function controllersOf(group: LeaderGroup, sc: Scenario): ControllerFactory | undefined {
  if (sc.cluster.workers === 0) return undefined;
  if (group === 'kube-scheduler') return (ctx, api) => new PodScheduler(ctx, api);
  const nl = sc.params.nodeLifecycle;
  const cfg = {
    monitorPeriodUs: nl.monitorPeriod, gracePeriodUs: nl.gracePeriod, tolerationUs: nl.tolerationSeconds,
    renewIntervalUs: longestRenewIntervalUs(sc.params.kubelet.nodeLeaseDuration),
    evictionQps: nl.nodeEvictionRate, secondaryEvictionQps: nl.secondaryNodeEvictionRate,
    largeClusterThreshold: nl.largeClusterSizeThreshold, unhealthyZoneThreshold: nl.unhealthyZoneThreshold,
  };
  return together(
    (ctx, api) => new ReplicaSetController(ctx, api, sc.cluster.pods),
    (ctx, api) => new NodeLifecycleController(ctx, api, cfg),
  );
}

function componentModel(group: LeaderGroup): Model {
  return {
    component: group,
    actor(machine, b) {
      const { cluster, params } = b.scenario;
      const election = group === 'kube-scheduler' ? params.kubeScheduler : params.kubeControllerManager;
      const cfg = {
        group,
        endpoint: cluster.componentsApi === 'lb' ? controlPlaneEndpoint(cluster) : `${machine.name}/kube-apiserver`,
        electionEnabled: params.leaderElection.enabled,
        leaseDurationUs: election.leaseDuration,
        renewDeadlineUs: election.renewDeadline,
        retryPeriodUs: election.retryPeriod,
        releaseOnCancel: election.releaseOnCancel,
        fastPath: versionProfile(cluster.versions).leaderElectionFastPath,
        controllers: controllersOf(group, b.scenario),
      };
      return () => new LeaderComponent(cfg);
    },
    setup(b: BuildContext) {
      const leading = new Set<string>();
      b.sim.trace.listen((o) => {
        if (o.kind === 'leader' && o.detail['group'] === group) {
          if (o.detail['leading'] === true) leading.add(o.subject);
          else leading.delete(o.subject);
        } else if (o.kind === 'process' && o.detail['state'] === 'down') {
          leading.delete(o.subject);
        }
      });
      b.targets.defineRole(`${group}:leader`, () => [...leading].find((id) => b.sim.process(id)?.status === 'running'));
    },
  };
}

export const schedulerModel = componentModel('kube-scheduler');
export const controllerManagerModel = componentModel('kube-controller-manager');
