import { dataError } from './data-error.js';
import { checkArrayBytes, parseDescr, type NdArray } from './nd-array.js';

/**
 * A reader for the pickles CIFAR's "python version" ships (and torchvision's
 * cifar-10-batches-py): protocol 2 (and 3), dicts, lists, tuples, strings,
 * bytes, ints, booleans, None, and NumPy arrays. It never runs pickle code:
 * it interprets the opcodes those files use and nothing else, and the only
 * globals it accepts are the three a NumPy array is rebuilt from
 * (numpy.core.multiarray._reconstruct, numpy.ndarray, numpy.dtype), which it
 * rebuilds itself. Any other global (os.system, builtins.eval, ...) or opcode
 * is refused with its name, before anything is called.
 */

/** A pickled tuple (lists are plain arrays). */
export class PickleTuple {
  constructor(readonly items: readonly PickleValue[]) {}
}

/** A NumPy array rebuilt from its pickle; `array` is set by the BUILD that gives its state. */
export class PickledArray {
  array?: NdArray;
}

/** One of the accepted globals, by its qualified name. */
class PickleGlobal {
  constructor(readonly name: AcceptedGlobal) {}
}

/** numpy.dtype(descr, align, copy) before and after its BUILD sets the byte order. */
class PickledDtype {
  order = '|';
  constructor(readonly descr: string) {}
}

export type PickleValue = null | boolean | number | bigint | string | Uint8Array | PickleValue[] | PickleTuple | Map<string, PickleValue> | PickledArray | PickleGlobal | PickledDtype;

const RECONSTRUCT = ['numpy.core.multiarray._reconstruct', 'numpy._core.multiarray._reconstruct'] as const;
const ACCEPTED_GLOBALS = [...RECONSTRUCT, 'numpy.ndarray', 'numpy.dtype'] as const;
type AcceptedGlobal = (typeof ACCEPTED_GLOBALS)[number];

/** Names of opcodes this reader refuses, for the message. */
const REFUSED: Readonly<Record<string, string>> = {
  i: 'INST',
  o: 'OBJ',
  '\x81': 'NEWOBJ',
  '\x92': 'NEWOBJ_EX',
  '\x93': 'STACK_GLOBAL',
  P: 'PERSID',
  Q: 'BINPERSID',
  '\x82': 'EXT1',
  '\x83': 'EXT2',
  '\x84': 'EXT4',
  '\x95': 'FRAME',
  '\x94': 'MEMOIZE',
  '\x97': 'NEXT_BUFFER',
  '\x96': 'BYTEARRAY8',
};

const MARK = Symbol('mark');
type Slot = PickleValue | typeof MARK;

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The fix every refusal ends with. */
const USE_UPSTREAM = 'ltssl reads only the data in CIFAR-style batch pickles and never runs pickle code; use the files from https://www.cs.toronto.edu/~kriz/cifar.html, or save the arrays with numpy.save instead';

/**
 * The value a pickle holds. `file` names it in errors ('data_batch_1', or
 * 'cifar-10-python.tar.gz: cifar-10-batches-py/data_batch_1').
 */
export function readPickle(bytes: Uint8Array, file: string): PickleValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: Slot[] = [];
  const memo = new Map<number, PickleValue>();
  let at = 0;
  let opAt = 0;
  const fail = (what: string): never => {
    throw dataError(file, opAt, what);
  };
  const need = (n: number, what: string): number => {
    if (n < 0 || at + n > bytes.length) fail(`the pickle ends inside ${what} (${n} bytes needed, ${bytes.length - at} left); the file is truncated`);
    const start = at;
    at += n;
    return start;
  };
  const pop = (): PickleValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) fail('the pickle pops a value from an empty stack; the file is damaged');
    return v as PickleValue;
  };
  const popToMark = (): PickleValue[] => {
    const mark = stack.lastIndexOf(MARK);
    if (mark < 0) fail('the pickle has no MARK for this opcode; the file is damaged');
    const items = stack.splice(mark) as Slot[];
    return items.slice(1) as PickleValue[];
  };
  const top = (): PickleValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) fail('the pickle expects a value on the stack; the file is damaged');
    return v as PickleValue;
  };
  const line = (what: string): string => {
    const end = bytes.indexOf(0x0a, at);
    if (end < 0 || end - at > 256) fail(`the pickle ends inside ${what}; the file is truncated`);
    const text = latin1.decode(bytes.subarray(at, end));
    at = end + 1;
    return text;
  };
  const dictKey = (key: PickleValue): string => {
    if (typeof key === 'string') return key;
    if (key instanceof Uint8Array) return latin1.decode(key);
    if (typeof key === 'number') return String(key);
    return fail('a dict key that is not a string or a number; this is not a CIFAR batch');
  };
  const setItems = (dict: PickleValue, items: readonly PickleValue[]): void => {
    if (!(dict instanceof Map)) fail('SETITEM on something that is not a dict; the file is damaged');
    if (items.length % 2 !== 0) fail('SETITEMS with an odd number of values; the file is damaged');
    for (let i = 0; i < items.length; i += 2) (dict as Map<string, PickleValue>).set(dictKey(items[i]!), items[i + 1]!);
  };
  // A view, not a copy: a batch's 30 MB pixel string stays in the bytes it was read into.
  const string = (n: number, what: string): Uint8Array => bytes.subarray(need(n, what), at);

  while (true) {
    if (at >= bytes.length) fail('the pickle ends before its STOP opcode; the file is truncated');
    opAt = at;
    const op = String.fromCharCode(bytes[at++]!);
    switch (op) {
      case '\x80': {
        const version = bytes[need(1, 'the PROTO opcode')]!;
        if (version > 3) fail(`pickle protocol ${version}; ltssl reads protocols 2 and 3 (CIFAR's own files are protocol 2): re-save it with pickle.dump(obj, f, protocol=3)`);
        break;
      }
      case '.': {
        const value = pop();
        if (stack.length > 0) fail('values are left on the stack at STOP; the file is damaged');
        return value;
      }
      case 'N':
        stack.push(null);
        break;
      case '\x88':
        stack.push(true);
        break;
      case '\x89':
        stack.push(false);
        break;
      case 'K':
        stack.push(bytes[need(1, 'a BININT1')]!);
        break;
      case 'M':
        stack.push(view.getUint16(need(2, 'a BININT2'), true));
        break;
      case 'J':
        stack.push(view.getInt32(need(4, 'a BININT'), true));
        break;
      case '\x8a': {
        const n = bytes[need(1, 'a LONG1')]!;
        if (n > 8) fail(`a ${n}-byte integer; no field of a dataset needs one`);
        const digits = bytes.subarray(need(n, 'a LONG1'), at);
        let value = 0n;
        for (let i = n - 1; i >= 0; i--) value = (value << 8n) | BigInt(digits[i]!);
        if (n > 0 && digits[n - 1]! >= 0x80) value -= 1n << BigInt(8 * n);
        stack.push(value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value);
        break;
      }
      case 'U':
      case 'C':
        stack.push(string(bytes[need(1, 'a short string length')]!, 'a string'));
        break;
      case 'T':
      case 'B':
        stack.push(string(view.getInt32(need(4, 'a string length'), true), 'a string'));
        break;
      case 'X': {
        const raw = string(view.getUint32(need(4, 'a unicode string length'), true), 'a unicode string');
        try {
          stack.push(utf8.decode(raw));
        } catch {
          fail('a unicode string that is not UTF-8; the file is damaged');
        }
        break;
      }
      case '}':
        stack.push(new Map());
        break;
      case ']':
        stack.push([]);
        break;
      case ')':
        stack.push(new PickleTuple([]));
        break;
      case '(':
        stack.push(MARK);
        break;
      case 't':
        stack.push(new PickleTuple(popToMark()));
        break;
      case '\x85':
      case '\x86':
      case '\x87': {
        const n = op.charCodeAt(0) - 0x84;
        const items: PickleValue[] = [];
        for (let i = 0; i < n; i++) items.unshift(pop());
        stack.push(new PickleTuple(items));
        break;
      }
      case 'l':
        stack.push(popToMark());
        break;
      case 'd': {
        const dict = new Map<string, PickleValue>();
        setItems(dict, popToMark());
        stack.push(dict);
        break;
      }
      case 'a': {
        const value = pop();
        const list = top();
        if (!Array.isArray(list)) fail('APPEND to something that is not a list; the file is damaged');
        (list as PickleValue[]).push(value);
        break;
      }
      case 'e': {
        const items = popToMark();
        const list = top();
        if (!Array.isArray(list)) fail('APPENDS to something that is not a list; the file is damaged');
        for (const item of items) (list as PickleValue[]).push(item);
        break;
      }
      case 's': {
        const value = pop();
        const key = pop();
        setItems(top(), [key, value]);
        break;
      }
      case 'u': {
        const items = popToMark();
        setItems(top(), items);
        break;
      }
      case 'q':
        memo.set(bytes[need(1, 'a BINPUT')]!, top());
        break;
      case 'r':
        memo.set(view.getUint32(need(4, 'a LONG_BINPUT'), true), top());
        break;
      case 'h':
      case 'j': {
        const index = op === 'h' ? bytes[need(1, 'a BINGET')]! : view.getUint32(need(4, 'a LONG_BINGET'), true);
        const value = memo.get(index);
        if (value === undefined) fail(`BINGET of memo entry ${index}, which was never stored; the file is damaged`);
        stack.push(value!);
        break;
      }
      case 'c': {
        const name = `${line('a GLOBAL module name')}.${line('a GLOBAL name')}`;
        if (!(ACCEPTED_GLOBALS as readonly string[]).includes(name)) {
          // Python 3 writes bytes under protocol 2 as calls of _codecs.encode: say how to save such a file.
          const hint = name === '_codecs.encode' ? ' (Python 3 wrote this pickle with protocol 2: save it with protocol=3)' : '';
          fail(`the pickle asks for the global '${name}'${hint}, and the only globals accepted are ${ACCEPTED_GLOBALS.join(', ')} (to rebuild NumPy arrays); nothing was run. ${USE_UPSTREAM}`);
        }
        stack.push(new PickleGlobal(name as AcceptedGlobal));
        break;
      }
      case 'R': {
        const args = pop();
        const callable = pop();
        stack.push(reduce(callable, args, fail));
        break;
      }
      case 'b': {
        const state = pop();
        build(top(), state, file, opAt, fail);
        break;
      }
      default: {
        const name = REFUSED[op];
        fail(`pickle opcode ${name ?? `0x${op.charCodeAt(0).toString(16).padStart(2, '0')}`} is not accepted (it is not in CIFAR's pickles${name ? '' : ', or the file is not a pickle'}). ${USE_UPSTREAM}`);
      }
    }
  }
}

/** REDUCE: the only calls are _reconstruct(ndarray, (0,), b'b') and dtype(descr, align, copy). */
function reduce(callable: PickleValue, args: PickleValue, fail: (what: string) => never): PickleValue {
  if (!(callable instanceof PickleGlobal) || !(args instanceof PickleTuple)) return fail('REDUCE of something other than an accepted global with a tuple of arguments');
  if ((RECONSTRUCT as readonly string[]).includes(callable.name)) {
    const cls = args.items[0];
    if (!(cls instanceof PickleGlobal) || cls.name !== 'numpy.ndarray') return fail(`${callable.name} of a class other than numpy.ndarray`);
    return new PickledArray();
  }
  if (callable.name === 'numpy.dtype') {
    const descr = args.items[0];
    const text = typeof descr === 'string' ? descr : descr instanceof Uint8Array ? latin1.decode(descr) : undefined;
    if (text === undefined) return fail('numpy.dtype of something that is not a type code');
    return new PickledDtype(text);
  }
  return fail(`REDUCE calls ${callable.name}, which only rebuilds arrays as an argument`);
}

/** BUILD: a dtype's state (version, byte order, ...) or an array's (version, shape, dtype, fortran order, data). */
function build(target: PickleValue, state: PickleValue, file: string, offset: number, fail: (what: string) => never): void {
  if (!(state instanceof PickleTuple)) return fail('BUILD with a state that is not a tuple');
  if (target instanceof PickledDtype) {
    const order = state.items[1];
    const text = typeof order === 'string' ? order : order instanceof Uint8Array ? latin1.decode(order) : '|';
    if (!['<', '>', '|', '='].includes(text)) return fail(`numpy.dtype byte order '${text}'`);
    target.order = text;
    return;
  }
  if (!(target instanceof PickledArray)) return fail('BUILD of something other than a NumPy array or dtype');
  const [, shapeTuple, dtype, fortran, data] = state.items;
  if (!(shapeTuple instanceof PickleTuple) || !shapeTuple.items.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) return fail('a NumPy array whose shape is not a tuple of sizes');
  if (!(dtype instanceof PickledDtype)) return fail('a NumPy array without a dtype');
  if (fortran === true || fortran === 1) return fail('a NumPy array in Fortran order; save it in C order (numpy.ascontiguousarray)');
  const type = parseDescr(`${dtype.order}${dtype.descr}`);
  if (typeof type === 'string') return fail(`a NumPy array of ${type}`);
  const raw = data instanceof Uint8Array ? data : typeof data === 'string' ? Uint8Array.from(data, (ch) => ch.charCodeAt(0) & 0xff) : undefined;
  if (raw === undefined) return fail('a NumPy array whose data is not a byte string');
  const shape = shapeTuple.items as number[];
  checkArrayBytes(file, offset, type.kind, shape, raw.length);
  target.array = { kind: type.kind, littleEndian: type.littleEndian, shape, data: raw };
}
