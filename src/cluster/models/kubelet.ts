// The kubelet model: one kubelet per worker, renewing its node Lease and watching its pods through the control-plane endpoint.
import { controlPlaneEndpoint } from '../../scenario/index.ts';
import { Kubelet, type KubeletConfig } from '../../worker/kubelet.ts';
import type { Model } from './types.ts';

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
};
