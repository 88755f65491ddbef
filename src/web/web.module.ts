import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { TwsModule } from '../tws/tws.module';
import { DashboardService } from './dashboard.service';
import { PagesController } from './pages.controller';
import { RootController } from './root.controller';
import { PAGES_DIRECTORY, StaticPages } from './static-pages';

/** The pages (`/revisao`, `/api/dashboard`), the dashboard's data and the root redirect to the API docs. */
@Module({
  imports: [TwsModule],
  controllers: [RootController, PagesController],
  providers: [
    DashboardService,
    {
      provide: StaticPages,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new StaticPages(PAGES_DIRECTORY, config.tws.source),
    },
  ],
})
export class WebModule {}
