import { Controller, Get, Redirect } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';

@Public()
@ApiExcludeController()
@Controller()
export class RootController {
  @Get()
  @Redirect('/api/docs', 302)
  root(): void {}
}
