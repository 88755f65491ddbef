import { Module } from '@nestjs/common';
import { RootController } from './root.controller';

/** The pages (`/api/dashboard`, `/revisao`) and the root redirect to the API docs. */
@Module({ controllers: [RootController] })
export class WebModule {}
