// ReadOnlySafe bookkeeping: pending read-index requests confirmed by heartbeat acks from a quorum.
// etcd-io/raft read_only.go: each heartbeat carries a counter of the reads issued so far; a
// voter's ack of counter c confirms every read up to c once a quorum has acked it.
import { committedIndex } from './quorum.ts';
import type { NodeId } from './types.ts';

export interface ReadRequest {
  /** Who asked: the leader itself or a follower that forwarded MsgReadIndex. */
  from: NodeId;
  context: unknown;
  /** The leader's commit index when the request arrived. */
  index: number;
}

export class ReadOnly {
  private readonly acks = new Map<NodeId, number>();
  private unconfirmed: ReadRequest[] = [];
  private confirmed = 0;

  addRequest(req: ReadRequest): void {
    this.unconfirmed.push(req);
  }

  /** The counter to attach to outgoing heartbeats; undefined when no read is waiting. */
  heartbeatContext(): number | undefined {
    if (this.unconfirmed.length === 0) return undefined;
    return this.confirmed + this.unconfirmed.length;
  }

  recvAck(from: NodeId, ctx: unknown): void {
    if (typeof ctx !== 'number') return;
    this.acks.set(from, Math.max(this.acks.get(from) ?? 0, ctx));
  }

  /** Requests now confirmed by a quorum of voters, oldest first. */
  maybeAdvance(voters: readonly NodeId[]): ReadRequest[] {
    const quorumAcked = committedIndex(voters.map((id) => this.acks.get(id) ?? 0));
    if (quorumAcked <= this.confirmed) return [];
    const n = quorumAcked - this.confirmed;
    const done = this.unconfirmed.slice(0, n);
    this.unconfirmed = this.unconfirmed.slice(n);
    this.confirmed = quorumAcked;
    return done;
  }
}
