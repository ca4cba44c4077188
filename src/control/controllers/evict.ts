// Deleting pods through the API: the pod object, then its entry in the node's bindings (compare-and-swap).
import type { Ctx } from '../../kernel/actor.ts';
import type { ApiObject } from '../api.ts';
import { Api, bindingsKey, podKey, type Bindings } from '../objects.ts';

/** Delete each pod; `deleted(pod, node)` hears the ones this call actually removed (not someone else). */
export function deletePods(
  ctx: Ctx, api: Api, pods: { pod: string; node: string | null }[], deleted: (pod: string, node: string | null) => void,
  failed?: (pod: string) => void,
): void {
  const byNode = new Map<string, string[]>();
  for (const { pod, node } of pods) {
    api.call({ verb: 'delete', key: podKey(pod) }, (r) => {
      if (r.status === 200) deleted(pod, node);
      else failed?.(pod);
    });
    if (node !== null) byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  for (const [node, gone] of byNode) unbind(ctx, api, node, new Set(gone), 2);
}

/** Remove pods from a node's bindings; retries a conflict (someone bound meanwhile). */
export function unbind(ctx: Ctx, api: Api, node: string, gone: Set<string>, tries: number): void {
  const key = bindingsKey(node);
  api.call({ verb: 'get', key }, (r) => {
    if (r.status !== 200) return;
    const cur = r.body as ApiObject;
    const pods = (cur.value as Bindings).pods.filter((p) => !gone.has(p));
    api.call({ verb: 'update', key, value: { pods } satisfies Bindings, resourceVersion: cur.resourceVersion }, (u) => {
      if (u.status === 409 && tries > 1) unbind(ctx, api, node, gone, tries - 1);
    });
  });
}
