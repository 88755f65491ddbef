import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import type { Observable } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { IngestionError } from './ingestion.errors';

/** The multipart field the seed's clients send the document in (`-F "file=@document.pdf"`). */
export const UPLOAD_FIELD = 'file';

/** Besides the file, a form may carry a few small text fields; anything more is not an upload. */
const FORM_LIMITS = { files: 1, fields: 10, fieldSize: 64 * 1024, parts: 12, headerPairs: 100 };

/**
 * Reads the multipart body with the size cap applied while it streams in: the request fails with
 * 413 as soon as the file passes UPLOAD_MAX_BYTES, before more of it is buffered.
 */
@Injectable()
export class UploadInterceptor implements NestInterceptor {
  private readonly upload;

  constructor(private readonly config: AppConfig) {
    this.upload = multer({
      storage: multer.memoryStorage(),
      // Browsers and curl send file names as raw UTF-8 bytes.
      defParamCharset: 'utf8',
      limits: { ...FORM_LIMITS, fileSize: config.ingestion.uploadMaxBytes },
    }).single(UPLOAD_FIELD);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    await new Promise<void>((resolve, reject) =>
      this.upload(http.getRequest<Request>(), http.getResponse<Response>(), (error: unknown) =>
        error ? reject(this.toError(error)) : resolve(),
      ),
    );
    return next.handle();
  }

  private toError(error: unknown): IngestionError {
    if (error instanceof MulterError) {
      switch (error.code) {
        case 'LIMIT_FILE_SIZE':
          return new IngestionError(
            'UPLOAD_TOO_LARGE',
            `The file is larger than the upload limit of ${this.config.ingestion.uploadMaxBytes} bytes (UPLOAD_MAX_BYTES)`,
          );
        case 'LIMIT_FILE_COUNT':
        case 'LIMIT_UNEXPECTED_FILE':
          return new IngestionError('UPLOAD_MALFORMED', `Send exactly one file, in the '${UPLOAD_FIELD}' form field`);
        default:
          return new IngestionError('UPLOAD_MALFORMED', `Invalid upload form: ${error.message}`);
      }
    }
    return new IngestionError('UPLOAD_MALFORMED', `Invalid upload form: ${(error as Error).message}`);
  }
}
