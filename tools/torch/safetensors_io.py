"""Reading and writing safetensors files with the standard library and torch only.

The `safetensors` pip package is not needed (Debian ships none): the format is an 8-byte
little-endian header length, a JSON header naming each tensor's dtype, shape and byte range,
then the tensors' bytes, row-major, little-endian.
"""
import json
import struct

import torch

DTYPES = {
    'F64': torch.float64,
    'F32': torch.float32,
    'F16': torch.float16,
    'BF16': torch.bfloat16,
    'I64': torch.int64,
    'I32': torch.int32,
    'I16': torch.int16,
    'I8': torch.int8,
    'U8': torch.uint8,
    'BOOL': torch.bool,
}
NAMES = {dtype: name for name, dtype in DTYPES.items()}


def read_safetensors(path):
    """The tensors (name -> torch.Tensor, in file order) and the __metadata__ strings of a file."""
    with open(path, 'rb') as f:
        data = f.read()
    if len(data) < 8:
        raise SystemExit(f'{path}: {len(data)} bytes, too short for a safetensors file')
    (length,) = struct.unpack('<Q', data[:8])
    if length > len(data) - 8:
        raise SystemExit(f'{path}: not a safetensors file (its first 8 bytes say a {length}-byte header follows)')
    header = json.loads(data[8:8 + length])
    metadata = header.pop('__metadata__', {})
    tensors = {}
    for name, entry in sorted(header.items(), key=lambda kv: kv[1]['data_offsets'][0]):
        begin, end = entry['data_offsets']
        dtype = DTYPES[entry['dtype']]
        flat = torch.frombuffer(bytearray(data[8 + length + begin:8 + length + end]), dtype=dtype) if end > begin else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(entry['shape'])
    return tensors, metadata


def write_safetensors(path, tensors, metadata=None):
    """Writes name -> tensor (contiguous copies, in the given order) and string metadata."""
    header = {'__metadata__': dict(metadata or {})}
    blobs = []
    offset = 0
    for name, tensor in tensors.items():
        if tensor.dtype not in NAMES:
            raise SystemExit(f"tensor '{name}' has dtype {tensor.dtype}, which safetensors cannot hold")
        blob = tensor.detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes() if tensor.numel() > 0 else b''  # 0-d tensors cannot be viewed as bytes
        header[name] = {'dtype': NAMES[tensor.dtype], 'shape': list(tensor.shape), 'data_offsets': [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)  # the data section starts 8-byte aligned
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(blobs))
