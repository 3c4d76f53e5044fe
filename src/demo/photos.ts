import { crc32, deflateSync } from 'node:zlib';

/**
 * Stand-in photos for the demo history: small solid-colour PNGs (one per colour, so the
 * content-addressed store keeps a handful of files however many cases use them). Real PNGs, so they
 * pass the attachment type check by content like any upload.
 */
export function demoPhoto(rgb: readonly [number, number, number], size = 32): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // truecolour RGB
  const row = Buffer.alloc(1 + size * 3); // filter byte 0, then pixels
  for (let x = 0; x < size; x++) row.set(rgb, 1 + x * 3);
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Before (greyish: the problem) and after (greenish: fixed) photo colours. */
export const BEFORE_COLOURS: readonly (readonly [number, number, number])[] = [
  [150, 140, 120],
  [120, 110, 100],
  [170, 150, 130],
];
export const AFTER_COLOURS: readonly (readonly [number, number, number])[] = [
  [110, 170, 120],
  [90, 160, 140],
  [130, 180, 110],
];
