// The link the wire sends over: what the kernel needs to know of the network (net/ implements it).
import type { Stream } from './random.ts';

/**
 * How a packet between two machines fares. The kernel owns delivery (FIFO per pair, refusals, the
 * TCP handshake); the link only says how long a packet takes, or that it never arrives. The run
 * injects it (SimOptions.link), so the kernel imports nothing from net/.
 */
export interface Link {
  /** One-way delay in µs of a packet from machine `from` to machine `to`, or -1 when it is lost or cannot get there. */
  delay(from: string, to: string, random: Stream): number;
}
