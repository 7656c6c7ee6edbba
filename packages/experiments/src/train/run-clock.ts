/**
 * A run's time across processes: when it first started and the seconds its
 * kept work took. A run resumed from a checkpoint takes both from it, so a
 * cell killed and resumed reports its first start and its whole time (the
 * work since the last checkpoint, redone, is counted once: in the process
 * that kept it).
 */
export class RunClock {
  private readonly processStart = Date.now();
  private first: string;
  private before = 0;

  constructor(now = new Date()) {
    this.first = now.toISOString();
  }

  /** The run resumes work that started at `startedAt` and took `seconds` up to its checkpoint. */
  resume(startedAt: string, seconds: number): void {
    this.first = startedAt;
    this.before = seconds;
  }

  /** When the run first started (ISO time). */
  get startedAt(): string {
    return this.first;
  }

  /** Seconds of the run so far: the resumed seconds plus this process's. */
  elapsed(): number {
    return this.before + (Date.now() - this.processStart) / 1000;
  }
}
