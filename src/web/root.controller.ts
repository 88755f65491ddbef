import { Controller, Get, Redirect } from '@nestjs/common';
import { ApiFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';

@Public()
@ApiTags('web')
@Controller()
export class RootController {
  @Get()
  @Redirect('/api/docs', 302)
  @ApiOperation({ summary: 'Redirects to the API documentation' })
  @ApiFoundResponse({
    description: 'Location: /api/docs',
    headers: { Location: { schema: { type: 'string', example: '/api/docs' } } },
  })
  root(): void {}
}
