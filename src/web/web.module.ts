import { Module } from '@nestjs/common';
import { DashboardService } from './dashboard.service';
import { PagesController } from './pages.controller';
import { RootController } from './root.controller';
import { PAGES_DIRECTORY, StaticPages } from './static-pages';

/** The pages (`/revisao`, `/api/dashboard`), the dashboard's data and the root redirect to the API docs. */
@Module({
  controllers: [RootController, PagesController],
  providers: [DashboardService, { provide: StaticPages, useFactory: () => new StaticPages(PAGES_DIRECTORY) }],
})
export class WebModule {}
