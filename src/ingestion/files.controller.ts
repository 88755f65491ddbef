import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRoles } from '../auth/auth.decorators';
import { ErrorResponseDto } from '../common/dto/error-response.dto';
import { PageQueryDto, StoredFileDto, toStoredFileDto } from './dto/ingestion.dto';
import { isStoredFileName } from './file-name';
import { IngestionError } from './ingestion.errors';
import { IngestionRepository } from './ingestion.repository';

/**
 * The uploaded documents. Files live in the database, not on a file system, and are found by their
 * stored (sanitised) name only: a path, `..`, a backslash or a control character can never name one.
 */
@ApiTags('files')
@Controller('api/files')
export class FilesController {
  constructor(private readonly repository: IngestionRepository) {}

  @Get()
  @RequireRoles('read')
  @ApiOperation({ summary: 'Uploaded documents, newest first' })
  @ApiOkResponse({ type: [StoredFileDto] })
  async list(@Query() query: PageQueryDto): Promise<StoredFileDto[]> {
    return (await this.repository.listFiles(query)).map(toStoredFileDto);
  }

  @Get('*path')
  @RequireRoles('read')
  @ApiOperation({ summary: 'Download an uploaded document by its stored name (the newest upload of that name)' })
  @ApiParam({
    name: 'path',
    description: 'The stored file name, as listed by GET /api/files (one path segment)',
    schema: { type: 'string', minLength: 1, example: 'document.pdf' },
  })
  @ApiOkResponse({
    description: 'The file, as an attachment, with the type read from its bytes when it was uploaded',
    content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Not a file name (a path, `..`, a control character)' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async download(
    @Param('path') path: string | string[],
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const segments = Array.isArray(path) ? path : [path];
    const name = segments.length === 1 ? segments[0] : undefined;
    if (name === undefined || !isStoredFileName(name)) {
      throw new IngestionError(
        'FILE_NAME_INVALID',
        'Invalid file name: ask for a name listed by GET /api/files, without a path',
      );
    }
    const file = await this.repository.findFileByName(name);
    if (!file) throw new IngestionError('FILE_NOT_FOUND', `No uploaded file named ${name}`);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(file.content, {
      type: file.contentType,
      length: file.sizeBytes,
      disposition: `attachment; filename="${asciiFallback(file.filename)}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    });
  }
}

/** `filename=` must be ASCII without quotes; the exact name travels in `filename*`. */
const asciiFallback = (name: string) => name.replace(/[^\x20-\x7e]|["\\]/g, '_');
