import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import type { Response } from 'express';
import { CurrentCaller, RateLimited, RequireRoles } from '../auth/auth.decorators';
import type { Caller } from '../auth/caller';
import { ChatService } from './chat.service';
import { abortWhenClientLeaves } from './client-gone';
import { ChatRequestDto, ChatResponseDto } from './dto/chat.dto';
import { OPEN_CALLER } from './open-caller';

@ApiTags('chat')
@Controller('api/chat')
export class ChatController {
  constructor(private readonly chat: ChatService) {}

  @Post()
  @HttpCode(200)
  @RequireRoles('read')
  @RateLimited()
  @ApiOperation({ summary: 'Ask an agent and get the whole answer (for clients without a WebSocket)' })
  @ApiOkResponse({ type: ChatResponseDto })
  @ApiErrors(
    { 400: 'Invalid input (`details` per field), markup, or a message over CHAT_MAX_MESSAGE_CHARS' },
    { 404: 'No agent with this `agent_id`' },
    { 502: 'The language model server failed or refused our credentials' },
    { 503: 'The language model server cannot be reached' },
    { 504: 'The model did not finish within LLM_TIMEOUT_MS' },
  )
  answer(
    @Body() body: ChatRequestDto,
    @CurrentCaller() caller: Caller | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChatResponseDto> {
    return this.chat.answer(body, caller ?? OPEN_CALLER, abortWhenClientLeaves(response));
  }
}
