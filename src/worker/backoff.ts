// The kubelet's container restart back-off: how long a crashed static pod waits before its next start.
import type { RestartBackoff } from '../kernel/lifecycle.ts';

/**
 * 10 s doubling to 5 min (kubernetes pkg/kubelet/kubelet.go: backOffPeriod, MaxContainerBackOff),
 * forgotten after twice the cap without a restart (client-go util/flowcontrol/backoff.go: hasExpired,
 * maxDuration*2), which the kernel reads as 10 min of running.
 */
export const KUBELET_RESTART_BACKOFF: RestartBackoff = Object.freeze({
  initialUs: 10_000_000,
  maxUs: 300_000_000,
  resetUs: 600_000_000,
});
