// The page's side of one simulation worker: starts runs, fills a Store with what comes back, reports changes.
import { sourceOf, type RunConfig } from './config.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { Store } from './store.ts';

export interface RunnerEvents {
  /** New data (or a new run): redraw. */
  changed(): void;
  /** The scenario did not validate (or the worker failed): show `message` as text. */
  failed(message: string, kind: 'invalid' | 'crashed'): void;
}

export class Runner {
  private readonly worker: Worker;
  private runId = 0;
  store = new Store();
  error: string | null = null;

  constructor(private readonly events: RunnerEvents, private readonly messages = true) {
    this.worker = new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    this.worker.onerror = (e) => this.events.failed(`the simulation worker failed: ${e.message}`, 'crashed');
  }

  /** Start (or restart from scratch) the run of `cfg`; whatever ran before is abandoned. */
  run(cfg: RunConfig, library: Readonly<Record<string, string>>): void {
    this.runId++;
    this.store = new Store();
    this.error = null;
    try {
      const source = sourceOf(cfg, library);
      this.post({ type: 'run', runId: this.runId, source, messages: this.messages });
    } catch (err) {
      this.error = (err as Error).message;
      this.events.failed(this.error, 'invalid');
    }
    this.events.changed();
  }

  /** Ask for the packets around cursor t (drawn at slow speeds), unless the ones held cover it. */
  wantFlights(t: number): void {
    const w = this.messages ? this.store.flightsWanted(t) : null;
    if (w) this.post({ type: 'flights', runId: this.runId, from: w[0], to: w[1] });
  }

  stop(): void {
    this.post({ type: 'stop', runId: this.runId });
  }

  terminate(): void {
    this.worker.terminate();
  }

  private post(msg: ToWorker): void {
    this.worker.postMessage(msg);
  }

  private receive(msg: FromWorker): void {
    if (msg.runId !== this.runId) return; // a superseded run
    const store = this.store;
    switch (msg.type) {
      case 'invalid':
      case 'crashed':
        this.error = msg.message;
        this.events.failed(msg.message, msg.type);
        break;
      case 'started':
        store.start(msg.scenario, msg.seed, msg.simulated);
        break;
      case 'chunk':
        store.append(msg.observations, msg.now, msg.events);
        break;
      case 'flights':
        store.setFlights(msg.from, msg.to, msg.flights);
        break;
      case 'done':
        store.finish(msg.report);
        break;
    }
    this.events.changed();
  }
}
