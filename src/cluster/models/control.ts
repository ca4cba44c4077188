// The control-plane models: kube-apiserver on every master, the two leader-elected components, and the probe client.
import type { LeaderGroup } from '../../control/api.ts';
import { Apiserver } from '../../control/apiserver.ts';
import { LeaderComponent } from '../../control/component.ts';
import { together, type ControllerFactory } from '../../control/controllers/controller.ts';
import { NodeLifecycleController } from '../../control/controllers/nodelifecycle.ts';
import { ReplicaSetController } from '../../control/controllers/replicaset.ts';
import { PodScheduler } from '../../control/controllers/scheduler.ts';
import { FencingChecker } from '../../control/fencing.ts';
import { Prober } from '../../control/probe.ts';
import { controlPlaneEndpoint, etcdTargets, machineIndex, singlePointOfFailure, type Scenario } from '../../scenario/index.ts';
import { versionProfile } from '../../scenario/versions.ts';
import { longestRenewIntervalUs } from '../../worker/kubelet.ts';
import { trackLeading } from '../leading.ts';
import { capacityOf } from './load.ts';
import { machineResourcesOf } from './machine.ts';
import type { BuildContext, Model } from './types.ts';

/** kube-apiserver --request-timeout default. */
const REQUEST_TIMEOUT_US = 60_000_000;

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
    const shared = capacityOf(b.scenario, REQUEST_TIMEOUT_US);
    const capacity = shared && { ...shared, machine: machineResourcesOf(b, machine.name)! };
    return () => new Apiserver(capacity ? { ...cfg, capacity } : cfg);
  },
  setup(b) {
    const endpoint = controlPlaneEndpoint(b.scenario.cluster);
    const spof = singlePointOfFailure(b.scenario.cluster);
    if (spof) b.sim.at(0, 'notice', () => b.sim.observe('notice', spof.machine, { spof: true, note: spof.note }));
    const probe = b.scenario.params.probe;
    b.sim.addProcess({ machine: 'client', component: 'kubectl', make: () => new Prober({ endpoint, intervalUs: probe.interval, timeoutUs: probe.timeout }) });
    // It emits a `stale-action` observation per leader action committed under someone else's Lease (the report counts them).
    new FencingChecker(b.sim);
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
      const leading = trackLeading(b.sim, group);
      b.targets.defineRole(`${group}:leader`, () => [...leading.keys()].find((id) => b.sim.process(id)?.status === 'running'));
    },
  };
}

export const schedulerModel = componentModel('kube-scheduler');
export const controllerManagerModel = componentModel('kube-controller-manager');
