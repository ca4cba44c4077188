// The kube-apiserver audit log as disk load: bytes written per request at each audit level.
//
// Levels are upstream's (k8s.io/apiserver pkg/apis/audit types.go Level: None, Metadata, Request,
// RequestResponse). With a log backend (--audit-log-path) each event is one JSON line appended to a
// file on the master's disk. kubeadm configures no audit policy, so the default here is None.
// Sizes are ASSUMPTIONS, settable in the scenario (`load.audit`): a Metadata event (user, verb,
// URI, object reference, timestamps, annotations) is taken as 1 KB; the Request level adds the
// request body (writes carry one object), RequestResponse adds the response body too (one object
// for a GET or a write, every object for a LIST), each object taken as 2 KB of JSON.
// One event per request (the ResponseComplete stage; policies usually omit RequestReceived).
import type { RequestClassName } from './classes.ts';
import { REQUEST_CLASSES } from './classes.ts';

export const AUDIT_LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type AuditLevel = (typeof AUDIT_LEVELS)[number];

export interface AuditConfig {
  level: AuditLevel;
  /** One Metadata-level event line, bytes. Assumption. */
  eventBytes: number;
  /** One object's JSON in a request or response body, bytes. Assumption. */
  objectBytes: number;
}

export const DEFAULT_AUDIT: AuditConfig = Object.freeze({ level: 'None', eventBytes: 1024, objectBytes: 2048 });

/** Bytes the audit log backend appends for one request of class `cls` returning `objects` objects (LIST). */
export function auditEventBytes(cfg: AuditConfig, cls: RequestClassName, objects: number): number {
  if (cfg.level === 'None') return 0;
  let bytes = cfg.eventBytes;
  const mutating = REQUEST_CLASSES[cls].mutating;
  if (cfg.level !== 'Metadata' && mutating) bytes += cfg.objectBytes;
  if (cfg.level === 'RequestResponse') bytes += (cls === 'list' ? objects : 1) * cfg.objectBytes;
  return bytes;
}
