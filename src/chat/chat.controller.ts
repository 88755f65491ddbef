import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  answer(
    @Body() body: ChatRequestDto,
    @CurrentCaller() caller: Caller | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChatResponseDto> {
    return this.chat.answer(body, caller ?? OPEN_CALLER, abortWhenClientLeaves(response));
  }
}
