import { Body, Controller, Get, Headers, HttpCode, type MessageEvent, Param, Post, Query, Sse } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { map, Observable } from 'rxjs';
import { CurrentCaller, RateLimited, RequireRoles } from '../auth/auth.decorators';
import type { Caller } from '../auth/caller';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ErrorResponseDto } from '../common/dto/error-response.dto';
import {
  DEFAULT_PAGE,
  IncidentDto,
  IncidentIdParamDto,
  IncidentPageDto,
  ListIncidentsQueryDto,
  ResolveIncidentDto,
  StreamQueryDto,
} from './dto/incident.dto';
import { IncidentService } from './incident.service';

/** A comment-like event keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 25_000;

@ApiTags('incidents')
@Controller('api/incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentService) {}

  @Get()
  @RequireRoles('read')
  @ApiOperation({ summary: 'Incidents the watcher opened, newest first' })
  @ApiOkResponse({ type: IncidentPageDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  list(@Query() query: ListIncidentsQueryDto): Promise<IncidentPageDto> {
    return this.incidents.list({
      status: query.status ?? 'all',
      kind: query.kind,
      limit: query.limit ?? DEFAULT_PAGE,
      offset: query.offset ?? 0,
    });
  }

  @Sse('stream')
  @RequireRoles('read')
  @ApiOperation({
    summary: 'Server-sent events: `opened`, `updated` and `closed` incidents as they happen (`heartbeat` every 25 s)',
    description:
      'Each event has `id` (its place in the feed), `event` (the type) and `data` (the incident as JSON). A reconnecting client sends `Last-Event-ID` (or `?after=`) and gets what it missed first.',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Replay the events after this one' })
  @ApiOkResponse({ description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiErrors({ 400: '`after` is not an event id' })
  stream(@Query() query: StreamQueryDto, @Headers('last-event-id') lastEventId?: string): Observable<MessageEvent> {
    const resume = /^\d{1,15}$/.test(lastEventId ?? '') ? lastEventId : query.after;
    const events = this.incidents.events(resume === undefined ? undefined : Number(resume));
    // Heartbeats only while the feed lives: when it completes (shutdown) the response ends.
    return new Observable<MessageEvent>((subscriber) => {
      const beat = setInterval(() => subscriber.next({ type: 'heartbeat', data: {} }), HEARTBEAT_MS);
      const subscription = events
        .pipe(map((event): MessageEvent => ({ id: String(event.seq), type: event.type, data: event.incident })))
        .subscribe(subscriber);
      return () => {
        clearInterval(beat);
        subscription.unsubscribe();
      };
    });
  }

  @Get(':id')
  @RequireRoles('read')
  @ApiOperation({ summary: 'One incident' })
  @ApiOkResponse({ type: IncidentDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'The id is not a UUID' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param() { id }: IncidentIdParamDto): Promise<IncidentDto> {
    return this.incidents.require(id);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @RequireRoles('write')
  @RateLimited()
  @ApiOperation({ summary: 'Someone is on it: `status: acknowledged`, with who and when (again: unchanged)' })
  @ApiOkResponse({ type: IncidentDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The incident is already resolved' })
  acknowledge(@Param() { id }: IncidentIdParamDto, @CurrentCaller() caller: Caller | undefined): Promise<IncidentDto> {
    return this.incidents.acknowledge(id, caller);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @RequireRoles('write')
  @RateLimited()
  @ApiOperation({
    summary:
      'Resolve the incident; the note becomes a memory linked to it, brought by the next incident of the same thing',
  })
  @ApiOkResponse({ type: IncidentDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The incident is already resolved' })
  resolve(
    @Param() { id }: IncidentIdParamDto,
    @Body() body: ResolveIncidentDto,
    @CurrentCaller() caller: Caller | undefined,
  ): Promise<IncidentDto> {
    return this.incidents.resolve(id, body.note, caller);
  }
}
