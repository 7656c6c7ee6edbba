/**
 * The phases a study cell's time is split into (tools/bench/cell.mjs prints
 * them): compiling programs, building augmented batches, training steps,
 * writing checkpoints, extracting features, training and scoring probes, kNN,
 * and writing the cell's result.
 */
export const CELL_PHASES = ['compile', 'augmentation', 'step', 'checkpoint', 'features', 'probes', 'knn', 'store'] as const;
export type CellPhase = (typeof CELL_PHASES)[number];

/**
 * Where a benchmark collects a cell's time by phase. Optional everywhere it is
 * taken: a study run passes none, and the code it times runs exactly as without it.
 */
export interface PhaseTimer {
  /**
   * Runs `fn` (synchronous or async) as `phase`. Time spent in a phase nested
   * inside it counts for the nested phase only, so the phases add up to at
   * most the wall time.
   */
  time<T>(phase: CellPhase, fn: () => T): T;
}

/** `fn` timed as `phase` when a timer is given, else just `fn()`. */
export function timed<T>(timer: PhaseTimer | undefined, phase: CellPhase, fn: () => T): T {
  return timer ? timer.time(phase, fn) : fn();
}

interface Frame {
  readonly phase: CellPhase;
  readonly start: number;
  /** Milliseconds of phases nested inside this one. */
  nested: number;
}

/**
 * A PhaseTimer that sums exclusive milliseconds per phase. It assumes one
 * chain of work, as a cell runs (phases nest, they do not overlap); work done
 * concurrently elsewhere (augmentation workers) shows as the time the chain
 * waited for it.
 */
export class PhaseClock implements PhaseTimer {
  readonly #ms = new Map<CellPhase, number>();
  readonly #stack: Frame[] = [];

  time<T>(phase: CellPhase, fn: () => T): T {
    const frame: Frame = { phase, start: performance.now(), nested: 0 };
    this.#stack.push(frame);
    const end = (): void => {
      const at = this.#stack.lastIndexOf(frame);
      this.#stack.splice(at, 1);
      const total = performance.now() - frame.start;
      this.#ms.set(phase, (this.#ms.get(phase) ?? 0) + total - frame.nested);
      const parent = this.#stack[at - 1];
      if (parent) parent.nested += total;
    };
    let out: T;
    try {
      out = fn();
    } catch (error) {
      end();
      throw error;
    }
    if (out instanceof Promise) return out.finally(end) as T;
    end();
    return out;
  }

  /** Milliseconds per phase (0 for a phase never entered). */
  totals(): Record<CellPhase, number> {
    return Object.fromEntries(CELL_PHASES.map((p) => [p, this.#ms.get(p) ?? 0])) as Record<CellPhase, number>;
  }
}
