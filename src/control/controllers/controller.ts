// What a leader-elected component runs while it leads: controllers driven by periodic timers over the API.
import type { Ctx } from '../../kernel/actor.ts';
import type { Api } from '../objects.ts';

/** A controller loop of a leader. Its timers are named `ctl:…`; the component forwards them. */
export interface Controller {
  start(): void;
  timer(name: string, data: unknown): void;
  /** For fast-forward: a change this controller will make with no new input (see Actor.unsettled). */
  unsettled?(): string | null;
}

export type ControllerFactory = (ctx: Ctx, api: Api) => Controller;

/** Several controllers in one process (kube-controller-manager runs many). */
export function together(...factories: ControllerFactory[]): ControllerFactory {
  return (ctx, api) => {
    const cs = factories.map((f) => f(ctx, api));
    return {
      start: () => cs.forEach((c) => c.start()),
      timer: (n, d) => cs.forEach((c) => c.timer(n, d)),
      unsettled: () => {
        for (const c of cs) {
          const why = c.unsettled?.() ?? null;
          if (why !== null) return why;
        }
        return null;
      },
    };
  };
}
