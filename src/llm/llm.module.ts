import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { getToken, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import type { AppConfig } from '../config/app-config';
import { IFactExtractor } from '../knowledge/fact-extractor.port';
import { LLM_TOKENS_USED_TOTAL } from '../metrics/metric-names';
import { LlmFactExtractor } from './llm-fact-extractor';
import { ILlmProvider } from './llm-provider.port';
import { OfflineProvider } from './offline.provider';
import { OpenAiCompatibleProvider } from './openai-compatible.provider';

/**
 * The language model: an OpenAI-compatible server when LLM_BASE_URL is set, the offline agent
 * otherwise. `IFactExtractor` is null without a real model (the knowledge graph then stores chunks only).
 */
@Module({})
export class LlmModule {
  static forRoot(config: AppConfig): DynamicModule {
    const { baseUrl } = config.llm;
    const providers: Provider[] = [
      makeCounterProvider({ name: LLM_TOKENS_USED_TOTAL, help: 'Total number of LLM tokens used' }),
      {
        provide: ILlmProvider,
        inject: [getToken(LLM_TOKENS_USED_TOTAL)],
        useFactory: (tokens: Counter<string>): ILlmProvider =>
          baseUrl ? new OpenAiCompatibleProvider({ ...config.llm, baseUrl }, tokens) : new OfflineProvider(),
      },
    ];
    providers.push({
      provide: IFactExtractor,
      inject: [ILlmProvider],
      useFactory: (llm: ILlmProvider): IFactExtractor | null =>
        baseUrl ? new LlmFactExtractor(llm, config.llm.factModel) : null,
    });
    return {
      module: LlmModule,
      global: true,
      providers,
      exports: [ILlmProvider, IFactExtractor],
    };
  }
}
