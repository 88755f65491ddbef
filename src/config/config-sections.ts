import type { ClassConstructor } from 'class-transformer';
import type { AppConfig } from './app-config';
import { AgentsEnv, buildAgentsSettings, buildChatSettings, buildLlmSettings } from './sections/agents.section';
import { AppEnv, buildAppSettings } from './sections/app.section';
import { buildKnowledgeSettings, KnowledgeEnv } from './sections/knowledge.section';
import { buildIngestionSettings, IngestionEnv } from './sections/ingestion.section';
import { AuthEnv, buildAuthSettings, buildRateLimitSettings } from './sections/auth.section';
import { AuditEnv, buildAuditSettings } from './sections/audit.section';
import { buildWebSettings, WebEnv } from './sections/web.section';
import { buildCacheSettings, buildDatabaseSettings, buildRedisSettings, StorageEnv } from './sections/storage.section';
import { buildTwsSettings, TwsEnv } from './sections/tws.section';
import { buildWatchSettings, WatchEnv } from './sections/watch.section';

/**
 * One section per concern: a class-validator class whose properties are the environment variables,
 * and a builder turning the validated values into part of `AppConfig`. A builder may throw
 * `ConfigRuleError` for rules that span several variables.
 */
export interface ConfigSection<E extends object> {
  env: ClassConstructor<E>;
  build(env: E): Partial<AppConfig>;
}

const section = <E extends object>(
  env: ClassConstructor<E>,
  build: (env: E) => Partial<AppConfig>,
): ConfigSection<E> => ({
  env,
  build,
});

export const CONFIG_SECTIONS: ConfigSection<object>[] = [
  section(AppEnv, (env) => ({ app: buildAppSettings(env) })),
  section(StorageEnv, (env) => ({
    database: buildDatabaseSettings(env),
    redis: buildRedisSettings(env),
    cache: buildCacheSettings(env),
  })),
  section(KnowledgeEnv, (env) => ({ knowledge: buildKnowledgeSettings(env) })),
  section(IngestionEnv, (env) => ({ ingestion: buildIngestionSettings(env) })),
  section(AgentsEnv, (env) => ({
    llm: buildLlmSettings(env),
    agents: buildAgentsSettings(env),
    chat: buildChatSettings(env),
  })),
  section(AuthEnv, (env) => ({ auth: buildAuthSettings(env), rateLimit: buildRateLimitSettings(env) })),
  section(AuditEnv, (env) => ({ audit: buildAuditSettings(env) })),
  section(WebEnv, (env) => ({ web: buildWebSettings(env) })),
  section(TwsEnv, (env) => ({ tws: buildTwsSettings(env) })),
  section(WatchEnv, (env) => ({ watch: buildWatchSettings(env) })),
] as ConfigSection<object>[];
