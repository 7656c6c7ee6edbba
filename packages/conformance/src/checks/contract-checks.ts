import { ERROR_CODES, hasErrorCode, hostTensor, type Executable } from '@ltssl/core';
import { fail, type Check } from '../check.js';
import { linearPrograms, swapProgram } from '../programs/contract-programs.js';

/**
 * The Executable contract of core/driver/driver.ts, which no numeric check
 * covers: outputs read pre-step state and updates commit together after the
 * step; fetch lists are honoured; int32 state stays int32; executables compiled
 * with shareState see each other's slots and outlive each other's disposal;
 * feeds are checked; a disposed executable refuses to run.
 */
const values = (t: { data: ArrayLike<number> } | undefined): number[] => Array.from(t?.data ?? []);

function expectEqual(what: string, got: unknown, want: unknown): void {
  if (JSON.stringify(got) !== JSON.stringify(want)) fail(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error ?? new Error('rejected with nothing'),
  );
}

async function using<T>(executables: Executable[], body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    for (const e of executables) e.dispose();
  }
}

const x = (): ReturnType<typeof hostTensor> => hostTensor('float32', [3], [1, 2, 3]);
const lr = (): ReturnType<typeof hostTensor> => hostTensor('float32', [], [0.5]);

export function contractChecks(): Check[] {
  return [
    {
      id: 'contract/step',
      run: async ({ driver }) => {
        const trainer = await driver.compile(linearPrograms().train);
        await using([trainer], async () => {
          const first = await trainer.run({ x: x(), lr: lr() });
          expectEqual('loss of step 1 (reads the pre-step w = [1, 1, 1])', values(first.loss), [6]);
          expectEqual('x_again (an input fetched as an output)', values(first.x_again), [1, 2, 3]);
          expectEqual("outputs fetched with ['loss']", Object.keys(await trainer.run({ x: x(), lr: lr() }, ['loss'])), ['loss']);
          expectEqual('outputs fetched with []', Object.keys(await trainer.run({ x: x(), lr: lr() }, [])), []);
          const state = await trainer.readState();
          expectEqual('w after three steps', values(state.w), [-0.5, -2, -3.5]);
          expectEqual('the int32 step counter', [state.steps?.dtype, ...values(state.steps)], ['int32', 3]);
          expectEqual("readState(['w'])", Object.keys(await trainer.readState(['w'])), ['w']);
        });
      },
    },
    {
      id: 'contract/swap',
      run: async ({ driver }) => {
        const swap = await driver.compile(swapProgram());
        await using([swap], async () => {
          expectEqual('output a (pre-step)', values((await swap.run({})).a), [1, 2]);
          const state = await swap.readState();
          expectEqual('[a, b] after a <- b, b <- a', [values(state.a), values(state.b)], [
            [3, 4],
            [1, 2],
          ]);
        });
      },
    },
    {
      id: 'contract/share-state',
      run: async ({ driver }) => {
        const { train, predict } = linearPrograms();
        const trainer = await driver.compile(train);
        const predictor = await driver.compile(predict, { shareState: trainer });
        await using([trainer, predictor], async () => {
          expectEqual('predict before training', values((await predictor.run({ x: x() })).y), [6]);
          await trainer.run({ x: x(), lr: lr() });
          expectEqual("predict after one step (w = [0.5, 0, -0.5], seen through the shared slot)", values((await predictor.run({ x: x() })).y), [-1]);
          await predictor.writeState({ w: hostTensor('float32', [3], [2, 0, 0]) });
          expectEqual("the trainer's loss after the predictor wrote w = [2, 0, 0]", values((await trainer.run({ x: x(), lr: lr() }, ['loss'])).loss), [2]);
          trainer.dispose();
          // w = [1.5, -1, -1.5] after that step; the slot outlives the trainer.
          expectEqual('predict after the trainer was disposed', values((await predictor.run({ x: x() })).y), [-5]);
          predictor.dispose();
          const error = await rejection(predictor.run({ x: x() }));
          if (!hasErrorCode(error, ERROR_CODES.executableMisuse)) fail(`running a disposed executable: want an ${ERROR_CODES.executableMisuse} error, got ${String(error)}`);
        });
      },
    },
    {
      id: 'contract/feeds',
      run: async ({ driver }) => {
        const trainer = await driver.compile(linearPrograms().train);
        await using([trainer], async () => {
          const missing = await rejection(trainer.run({ x: x() }));
          if (!hasErrorCode(missing, ERROR_CODES.feedInvalid) || !String((missing as Error).message).includes("missing feed 'lr'")) fail(`a missing feed 'lr': want an ${ERROR_CODES.feedInvalid} error naming it, got ${String(missing)}`);
          const shape = await rejection(trainer.run({ x: hostTensor('float32', [4]), lr: lr() }));
          if (!hasErrorCode(shape, ERROR_CODES.feedInvalid)) fail(`feed 'x' of shape [4] for [3]: want an ${ERROR_CODES.feedInvalid} error, got ${String(shape)}`);
          expectEqual('w after two refused runs', values((await trainer.readState(['w'])).w), [1, 1, 1]);
        });
      },
    },
  ];
}
