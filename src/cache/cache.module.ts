import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ICache } from './cache.port';
import { CacheFactory } from './cache-factory';
import { CacheMetrics, cacheMetricProviders } from './cache-metrics';

/** Holds one feature's named cache; see `CacheModule.forFeature`. */
@Module({})
export class CacheFeatureModule {}

/**
 * `CacheModule` (global) owns the factory; a feature imports `CacheModule.forFeature('tws')` and
 * injects `@Inject(ICache) cache: ICache`, a cache of its own name (metrics are per name).
 */
@Global()
@Module({
  providers: [...cacheMetricProviders, CacheMetrics, CacheFactory],
  exports: [CacheFactory],
})
export class CacheModule {
  static forFeature(name: string): DynamicModule {
    return {
      module: CacheFeatureModule,
      providers: [
        { provide: ICache, inject: [CacheFactory], useFactory: (factory: CacheFactory) => factory.get(name) },
      ],
      exports: [ICache],
    };
  }
}
