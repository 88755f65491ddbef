import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Database } from './database';
import { openDatabase } from './database.factory';
import { MIGRATIONS } from './migrations';
import { runMigrations } from './migrator';

@Global()
@Module({
  providers: [
    {
      provide: Database,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        const database = await openDatabase({ ...config.database, dataDir: config.app.dataDir });
        try {
          await runMigrations(database, MIGRATIONS);
        } catch (error) {
          await database.close();
          throw error;
        }
        return database;
      },
    },
  ],
  exports: [Database],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly database: Database) {}

  /** After the HTTP server has drained, so in-flight writes finish first. */
  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
