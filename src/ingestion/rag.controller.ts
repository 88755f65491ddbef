import {
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentCaller, RateLimited, RequireRoles } from '../auth/auth.decorators';
import type { Caller } from '../auth/caller';
import { ErrorResponseDto } from '../common/dto/error-response.dto';
import {
  IngestJobDto,
  JobsQueryDto,
  toJobDto,
  toUploadDto,
  UploadFormDto,
  UploadResponseDto,
} from './dto/ingestion.dto';
import { FileIngestor } from './file-ingestor.service';
import { IngestionError } from './ingestion.errors';
import { IngestionRepository } from './ingestion.repository';
import { UPLOAD_FIELD, UploadInterceptor } from './upload.interceptor';

@ApiTags('rag')
@Controller('api/rag')
export class RagController {
  constructor(
    private readonly ingestor: FileIngestor,
    private readonly repository: IngestionRepository,
  ) {}

  @Post('upload')
  @RequireRoles('write')
  @RateLimited()
  @UseInterceptors(UploadInterceptor)
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Upload a document for RAG ingestion',
    description:
      'The type is read from the bytes (PDF, DOCX, XLSX; TXT/MD/CSV by extension and a UTF-8 check). The job is stored before ' +
      'the answer: 202 for a new document, 200 with `duplicate: true` and the existing job for bytes uploaded before.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadFormDto })
  @ApiAcceptedResponse({ type: UploadResponseDto, description: 'Stored and queued' })
  @ApiOkResponse({ type: UploadResponseDto, description: 'Already uploaded: the existing job' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'No file, an empty file or a malformed form' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'Larger than UPLOAD_MAX_BYTES' })
  @ApiUnsupportedMediaTypeResponse({
    type: ErrorResponseDto,
    description: 'Not an accepted type, or the content does not match the name',
  })
  async upload(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentCaller() caller: Caller | undefined,
  ): Promise<UploadResponseDto> {
    const file = request.file;
    if (!file) {
      throw new IngestionError(
        'UPLOAD_MISSING_FILE',
        `No file received: send multipart/form-data with the document in the '${UPLOAD_FIELD}' field`,
      );
    }
    const receipt = await this.ingestor.saveUploadedFile(file.originalname, file.buffer, caller?.id);
    if (receipt.duplicate) response.status(HttpStatus.OK);
    return toUploadDto(receipt);
  }

  @Get('jobs')
  @RequireRoles('read')
  @ApiOperation({ summary: 'Ingestion jobs, newest first' })
  @ApiOkResponse({ type: [IngestJobDto] })
  async jobs(@Query() query: JobsQueryDto): Promise<IngestJobDto[]> {
    return (await this.repository.listJobs(query)).map(toJobDto);
  }

  @Get('jobs/:id')
  @RequireRoles('read')
  @ApiOperation({
    summary: 'One ingestion job: queued, processing, done (with its chunk count) or failed (with the reason)',
  })
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } })
  @ApiOkResponse({ type: IngestJobDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async job(@Param('id', new ParseUUIDPipe({ version: undefined })) id: string): Promise<IngestJobDto> {
    const job = await this.ingestor.getJob(id);
    if (!job) throw new IngestionError('JOB_NOT_FOUND', `No ingestion job ${id}`);
    return toJobDto(job);
  }
}
