/**
 * One cancellable job in the training worker besides training itself ("Compare solvers", "Model
 * selection"): it holds the slot while the request runs, settles the worker's outcome in one place
 * (the success handler, or the job's failure message with the diagnostics — none when cancelled), and
 * cancels promptly. The training controller and the cross-validation job share it.
 */
import { formatDiagnostic, type Diagnostic } from '../core/diagnostics';
import { log } from './output';

/** The success part of a worker outcome: all but the `cancelled` and `failed` answers common to every job. */
export type JobSuccess<O> = Exclude<O, { kind: 'cancelled' } | { kind: 'failed' }>;

export class WorkerJob {
  private current: { runId: number; done: Promise<void> } | undefined;

  constructor(private readonly session: { cancel(): Promise<void> }) {}

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Resolves when the job under way (if any) has finished, failed or stopped. */
  async idle(): Promise<void> {
    await this.current?.done;
  }

  /**
   * Holds the slot until `pending` settles, then hands a success to `succeeded`, or reports a
   * cancellation (`cancelledLog`, if given, goes to the output) or a failure through `fail`.
   */
  async run<O extends { kind: string }>(
    runId: number,
    pending: Promise<O>,
    handlers: { succeeded(outcome: JobSuccess<O>): Promise<void>; fail(diagnostics: Diagnostic[]): void; cancelledLog?: string },
  ): Promise<void> {
    const current = { runId, done: pending.then(() => undefined) };
    this.current = current;
    try {
      const outcome = await pending;
      if (outcome.kind === 'cancelled') {
        if (handlers.cancelledLog) log().info(handlers.cancelledLog);
        handlers.fail([]);
      } else if (outcome.kind === 'failed') {
        const { diagnostics } = outcome as O & { kind: 'failed'; diagnostics: Diagnostic[] };
        for (const d of diagnostics) log().warn(formatDiagnostic(d));
        handlers.fail(diagnostics);
      } else {
        await handlers.succeeded(outcome as JobSuccess<O>);
      }
    } finally {
      if (this.current === current) this.current = undefined;
    }
  }

  /** Stops the job under way (if any) promptly. */
  async cancel(): Promise<void> {
    const current = this.current;
    if (!current) return;
    await this.session.cancel();
    await current.done;
  }
}
