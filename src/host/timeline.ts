/**
 * Where a panel's time goes (issue 20): the moments between opening a panel (or asking for a run)
 * and the drawn result, as `timeline` lines in the Output channel (Logit Lab), e.g.
 * `timeline binary.csv: run #1 worker answered +2712 ms`. Times count from the panel's creation,
 * whose wall-clock time the first line gives (`opened at …`): bench/ui.mjs reads them to split the
 * click → finished time into the host's phases. Each event is logged once per panel (a run's events
 * carry its number).
 */
export class Timeline {
  private readonly start = performance.now();
  private readonly seen = new Set<string>();

  constructor(
    private readonly label: string,
    private readonly info: (message: string) => void,
  ) {
    // The log's own timestamps are those of its batched writes: this line anchors the "+N ms" ones.
    info(`timeline ${label}: opened at ${new Date().toISOString()}`);
  }

  /** Logs `event` with the time since the panel opened, the first time it happens. */
  mark(event: string): void {
    if (this.seen.has(event)) return;
    this.seen.add(event);
    this.info(`timeline ${this.label}: ${event} +${Math.round(performance.now() - this.start)} ms`);
  }
}
