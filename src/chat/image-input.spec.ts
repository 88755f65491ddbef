import { DomainError } from '../common/errors/domain-error';
import { readImages } from './image-input';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).toString('base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46]).toString('base64');
const limits = { maxImages: 2, maxBytes: 1024 };

function refusal(images: Parameters<typeof readImages>[0]): DomainError {
  try {
    readImages(images, limits);
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a refusal');
}

describe(readImages.name, () => {
  it('types each image from its bytes, whatever image type it is labelled with', () => {
    expect(
      readImages(
        [{ name: 'shot.png', mime_type: 'image/png', data: JPEG }, { data: `data:image/png;base64,${PNG}` }],
        limits,
      ),
    ).toEqual([
      { mimeType: 'image/jpeg', data: JPEG },
      { mimeType: 'image/png', data: PNG },
    ]);
    expect(
      readImages(
        [
          { mime_type: 'image/jpg', data: JPEG },
          { mime_type: 'IMAGE/WEBP', data: PNG },
        ],
        limits,
      ),
    ).toHaveLength(2);
  });

  it('refuses a declared type that is not png, jpeg, gif or webp, naming it', () => {
    const error = refusal([{ name: 'report.pdf', mime_type: 'application/pdf', data: PNG }]);
    expect(error.code).toBe('IMAGE_TYPE_UNSUPPORTED');
    expect(error.kind).toBe('unsupported_media');
    expect(error.message).toBe(
      'Image "report.pdf" is declared as application/pdf; only image/png, image/jpeg, image/gif and image/webp are accepted',
    );
  });

  it('refuses bytes that are no image, too many images, too large or broken base64', () => {
    expect(refusal([{ data: Buffer.from('plain text here').toString('base64') }]).code).toBe('IMAGE_TYPE_UNSUPPORTED');
    expect(refusal([{ data: PNG }, { data: PNG }, { data: PNG }]).code).toBe('TOO_MANY_IMAGES');
    expect(refusal([{ data: 'A'.repeat(2000) }]).code).toBe('IMAGE_TOO_LARGE');
    expect(refusal([{ data: 'not base64!' }]).code).toBe('IMAGE_NOT_BASE64');
  });
});
