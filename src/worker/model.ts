// The kubelet model: one kubelet per worker, renewing its node Lease and watching its pods through the control-plane endpoint.
import type { Model } from '../cluster/models.ts';
import { controlPlaneEndpoint } from '../lb/model.ts';
import { Kubelet, type KubeletConfig } from './kubelet.ts';
import { WorkloadTracker } from './workloads.ts';

export const kubeletModel: Model = {
  component: 'kubelet',
  actor(machine, b) {
    // Masters' kubelets only supervise static pods here (the kernel restarts them); no node Lease is modelled.
    if (machine.role !== 'worker') return null;
    const cfg: KubeletConfig = {
      endpoint: controlPlaneEndpoint(b.scenario.cluster),
      zone: machine.zone ?? 1,
      nodeLeaseDurationUs: b.scenario.params.kubelet.nodeLeaseDuration,
    };
    return () => new Kubelet(cfg);
  },
  setup(b) {
    const { cluster } = b.scenario;
    if (cluster.workers === 0) return;
    const tracker = new WorkloadTracker(cluster.pods);
    b.sim.trace.listen((o) => {
      tracker.observe(o);
      if (o.kind === 'node' && o.detail['ready'] === false) b.metrics.counters.notReadyTransitions++;
      else if (o.kind === 'pod' && o.detail['evicted'] === true) b.metrics.counters.evictions++;
    });
    b.onFinish(() => tracker.finish(b.metrics, b.sim.time));
  },
};
