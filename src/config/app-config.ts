import type { AgentsSettings, ChatSettings, LlmSettings } from './sections/agents.section';
import type { AppSettings } from './sections/app.section';
import type { KnowledgeSettings } from './sections/knowledge.section';
import type { IngestionSettings } from './sections/ingestion.section';
import type { AuthSettings, RateLimitSettings } from './sections/auth.section';
import type { AuditSettings } from './sections/audit.section';
import type { WebSettings } from './sections/web.section';
import type { CacheSettings, DatabaseSettings, RedisSettings } from './sections/storage.section';
import type { TwsSettings } from './sections/tws.section';
import type { WatchSettings } from './sections/watch.section';

/**
 * The validated, typed configuration: built once at boot from the environment and injected
 * by class (`constructor(private readonly config: AppConfig)`). Nothing else reads `process.env`.
 */
export class AppConfig {
  readonly app: AppSettings;
  readonly database: DatabaseSettings;
  readonly redis: RedisSettings;
  readonly cache: CacheSettings;
  readonly knowledge: KnowledgeSettings;
  readonly ingestion: IngestionSettings;
  readonly llm: LlmSettings;
  readonly agents: AgentsSettings;
  readonly chat: ChatSettings;
  readonly auth: AuthSettings;
  readonly rateLimit: RateLimitSettings;
  readonly audit: AuditSettings;
  readonly web: WebSettings;
  readonly tws: TwsSettings;
  readonly watch: WatchSettings;
}
