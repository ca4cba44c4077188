// The component models the topology builder knows: each turns a machine of the scenario into actors.
import { apiserverModel, controllerManagerModel, schedulerModel } from './control.ts';
import { etcdModel } from './etcd.ts';
import { kubeletModel } from './kubelet.ts';
import { haproxyModel, keepalivedModel } from './lb.ts';
import { loadModel } from './load.ts';
import { machineModel } from './machine.ts';
import type { Model } from './types.ts';

export type { BuildContext, Model } from './types.ts';

/** Every modelled component; components without a model are not simulated yet. */
export const MODELS: Model[] = [
  etcdModel, haproxyModel, keepalivedModel, apiserverModel, schedulerModel, controllerManagerModel, kubeletModel, loadModel, machineModel,
];
