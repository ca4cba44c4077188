// Public API of the load-balancer models: haproxy (checks + TCP proxy), keepalived (VRRP VIP), their Models.
export { checkLabel, HAPROXY_DEFAULTS, haproxyConfig, type CheckKind, type HaproxyConfig } from './config.ts';
export { Haproxy } from './haproxy.ts';
export { fullHealth, isGood, startHealth, stepHealth, type RiseFall } from './health.ts';
export { Keepalived, masterDownUs, skewUs, type KeepalivedConfig, type VrrpAdvert } from './keepalived.ts';
export { controlPlaneEndpoint, etcdEndpointFor, haproxyModel, keepalivedModel, VIP } from './model.ts';
export { KUBEADM_SCRIPT, VrrpScript, type VrrpScriptConfig } from './vrrp-script.ts';
