import { DomainError } from '../common/errors/domain-error';
import type { ImagePart } from '../llm/llm-provider.port';

export interface RawImage {
  name?: string;
  mime_type?: string;
  data: string;
}

const SIGNATURES: { mimeType: string; matches: (bytes: Buffer) => boolean }[] = [
  {
    mimeType: 'image/png',
    matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { mimeType: 'image/jpeg', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mimeType: 'image/gif', matches: (b) => ['GIF87a', 'GIF89a'].includes(b.toString('latin1', 0, 6)) },
  {
    mimeType: 'image/webp',
    matches: (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP',
  },
];

/** Declared types accepted as labels (`image/jpg` is a common misspelling of `image/jpeg`). */
const DECLARABLE = new Set(['image/png', 'image/jpeg', 'image/jpg', 'image/gif', 'image/webp']);

/** The image type the bytes say, among those vision models take (png, jpeg, gif, webp). */
export function sniffImageType(bytes: Buffer): string | undefined {
  return SIGNATURES.find((signature) => signature.matches(bytes))?.mimeType;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DATA_URL_PREFIX = /^data:[\w.+/-]+;base64,/i;

/**
 * Checks and normalises images: count, declared type, decoded size (computed before decoding),
 * base64 syntax and the type from the bytes. A declared `mime_type` must be one of the four image
 * types, but the bytes decide which: clients often label every screenshot `image/png` (as the
 * Knowledge Agent's own example does).
 */
export function readImages(images: RawImage[], limits: { maxImages: number; maxBytes: number }): ImagePart[] {
  if (images.length > limits.maxImages) {
    throw new DomainError('TOO_MANY_IMAGES', `Too many images: at most ${limits.maxImages} per query`, 'invalid');
  }
  return images.map((image, index) => {
    const label = image.name ? `"${image.name}"` : `#${index + 1}`;
    const declared = image.mime_type?.trim().toLowerCase();
    if (declared && !DECLARABLE.has(declared)) {
      throw new DomainError(
        'IMAGE_TYPE_UNSUPPORTED',
        `Image ${label} is declared as ${image.mime_type}; only image/png, image/jpeg, image/gif and image/webp are accepted`,
        'unsupported_media',
      );
    }
    const data = image.data.replace(DATA_URL_PREFIX, '').replace(/\s+/g, '');
    const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
    const size = Math.floor((data.length * 3) / 4) - padding;
    if (size > limits.maxBytes) {
      throw new DomainError('IMAGE_TOO_LARGE', `Image ${label} is larger than ${limits.maxBytes} bytes`, 'too_large');
    }
    if (!BASE64.test(data) || data.length % 4 === 1 || size <= 0) {
      throw new DomainError('IMAGE_NOT_BASE64', `Image ${label} is not valid base64 data`, 'invalid');
    }
    const mimeType = sniffImageType(Buffer.from(data.slice(0, 64), 'base64'));
    if (!mimeType) {
      throw new DomainError(
        'IMAGE_TYPE_UNSUPPORTED',
        `Image ${label} is not a PNG, JPEG, GIF or WEBP image`,
        'unsupported_media',
      );
    }
    return { mimeType, data };
  });
}
