/**
 * A progress bar on stderr. On a terminal it redraws one line in place, at most ten
 * times a second. Elsewhere it prints a plain line at each quarter of the work. Nothing is
 * printed during the first second, so short runs and logs stay quiet.
 */

export interface ProgressOptions {
  /** Name of the work, such as "loading data.csv". */
  label: string;
  /** Unit of `done`, shown in the rate, such as "rows". */
  unit?: string;
  /** True to redraw in place (stderr is a terminal). */
  tty: boolean;
  /** Milliseconds; injectable for tests. */
  now?: () => number;
}

const BAR_WIDTH = 24;
const REDRAW_MS = 100;
const QUIET_MS = 1000;
const MIN_RATE_SECONDS = 0.5;

export class ProgressBar {
  private readonly stream: NodeJS.WritableStream;
  private readonly options: ProgressOptions;
  private readonly now: () => number;
  private readonly started: number;
  private phaseStarted: number;
  private lastDraw = 0;
  /** Quarters of the current phase finished at the last update, 0 to 4. */
  private quarter = 0;
  private drawn = false;
  private done = 0;
  /** Share of the work finished, 0..1, or undefined when the total is unknown. */
  private fraction: number | undefined;
  private phase = "";

  constructor(stream: NodeJS.WritableStream, options: ProgressOptions) {
    this.stream = stream;
    this.options = options;
    this.now = options.now ?? Date.now;
    this.started = this.now();
    this.phaseStarted = this.started;
  }

  /** Records progress: `done` units out of `total` (unknown when undefined). */
  update(done: number, total?: number, phase = ""): void {
    const fraction = total !== undefined && total > 0 ? done / total : undefined;
    this.updateFraction(done, fraction, phase);
  }

  /**
   * Records progress when the share finished is known in another unit than `done`, such
   * as rows read out of a file whose size in bytes is known.
   */
  updateFraction(done: number, fraction: number | undefined, phase = ""): void {
    if (phase !== this.phase) {
      this.quarter = 0;
      this.phaseStarted = this.now();
    }
    this.done = done;
    this.fraction = fraction === undefined ? undefined : Math.min(Math.max(fraction, 0), 1);
    this.phase = phase;
    // Plain output prints a line when the work crosses 25%, 50% or 75%.
    const quarter = this.fraction === undefined ? 0 : Math.floor(this.fraction * 4);
    const crossed = quarter > this.quarter && quarter < 4;
    this.quarter = quarter;
    const now = this.now();
    if (now - this.started < QUIET_MS) return;
    if (this.options.tty) {
      if (now - this.lastDraw < REDRAW_MS && this.fraction !== 1) return;
      this.lastDraw = now;
      this.stream.write(`\r${this.line(now)}\x1b[K`);
      this.drawn = true;
      return;
    }
    if (crossed) {
      this.stream.write(this.line(now) + "\n");
      this.drawn = true;
    }
  }

  /** Ends the bar: a terminal gets its final state and a newline, if anything was drawn. */
  finish(): void {
    if (!this.drawn) return;
    const now = this.now();
    const line = this.line(now, true);
    this.stream.write(this.options.tty ? `\r${line}\x1b[K\n` : line + "\n");
    this.drawn = false;
  }

  /**
   * Renders one line: label, bar, count, rate and the estimated time left in the current
   * phase, or the total time once finished.
   */
  line(now: number, finished = false): string {
    const seconds = Math.max((now - this.phaseStarted) / 1000, 1e-3);
    const unit = this.options.unit ?? "rows";
    const rate = this.done / seconds;
    const label = this.phase ? `${this.options.label} (${this.phase})` : this.options.label;
    const parts = [label];
    const fraction = this.fraction;
    if (fraction !== undefined) {
      const filled = Math.round(fraction * BAR_WIDTH);
      parts.push(`[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}]`);
      parts.push(`${Math.round(fraction * 100)}%`);
    }
    parts.push(`${formatCount(this.done)} ${unit}`);
    // A rate over a fraction of a second is noise, so it waits until the phase has run.
    if (seconds >= MIN_RATE_SECONDS) parts.push(`${formatCount(rate)} ${unit}/s`);
    if (finished) {
      parts.push(`done in ${formatDuration((now - this.started) / 1000)}`);
    } else if (seconds >= MIN_RATE_SECONDS && fraction !== undefined && fraction > 0) {
      parts.push(`about ${formatDuration((seconds * (1 - fraction)) / fraction)} left`);
    }
    return parts.join("  ");
  }
}

function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** Formats seconds as "42s" or "3m 05s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return `${minutes}m ${String(rest).padStart(2, "0")}s`;
}
