import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AuditService } from '../audit/audit.service';
import { ICache } from '../cache/cache.port';
import { CacheFactory } from '../cache/cache-factory';
import { IConnectionManager } from '../chat/connection-manager.port';
import { AppConfig } from '../config/app-config';
import type { WebSettings } from '../config/sections/web.section';
import { IKnowledgeGraph } from '../knowledge/knowledge-graph.port';
import { TwsStatusService } from '../tws/tws-status.service';
import type {
  AuditSummaryDto,
  ConnectionsSummaryDto,
  CountsByStatusDto,
  DashboardPartDto,
  DashboardSummaryDto,
  KnowledgeSummaryDto,
  TwsSummaryDto,
} from './dashboard.dto';

const SUMMARY_KEY = 'summary';

/** Why a part is missing, in words an operator can act on. */
const NOT_INSTALLED = (what: string) => `${what} is not available on this instance`;

function countByStatus(items: readonly { status: string }[]): CountsByStatusDto {
  const byStatus: Record<string, number> = {};
  for (const { status } of items) byStatus[status] = (byStatus[status] ?? 0) + 1;
  return { total: items.length, by_status: byStatus };
}

/**
 * The dashboard's one JSON document. The TWS part reads the plan through `TwsStatusService` (its
 * cache); the other parts come from other features' ports, looked up when needed. A part missing
 * from this build, failing or slow turns into `{available: false, reason}` instead of failing the page. The document is cached for a few
 * seconds, so any number of viewers costs one round of upstream calls.
 */
@Injectable()
export class DashboardService {
  private readonly logger = new Logger(DashboardService.name);
  private readonly settings: WebSettings;
  private readonly cache: ICache;

  constructor(
    config: AppConfig,
    caches: CacheFactory,
    private readonly audit: AuditService,
    private readonly plan: TwsStatusService,
    private readonly moduleRef: ModuleRef,
  ) {
    this.settings = config.web;
    this.cache = caches.get('dashboard');
  }

  summary(): Promise<DashboardSummaryDto> {
    if (this.settings.dashboardCacheSeconds === 0) return this.build();
    return this.cache.getOrLoad(SUMMARY_KEY, this.settings.dashboardCacheSeconds, () => this.build());
  }

  private async build(): Promise<DashboardSummaryDto> {
    const [tws, knowledge, audit, connections] = await Promise.all([
      this.tws(),
      this.knowledge(),
      this.auditCounts(),
      this.connections(),
    ]);
    return { generated_at: new Date().toISOString(), tws, knowledge, audit, connections };
  }

  /** Through the TWS cache, like /api/status: viewers never add calls to the master. */
  private tws(): Promise<TwsSummaryDto> {
    return this.part('tws', async () => {
      const status = await this.plan.getSystemStatus();
      return {
        source: status.source,
        workstations: countByStatus(status.workstations),
        jobs: countByStatus(status.jobs),
        critical_jobs: countByStatus(status.critical_jobs),
      };
    });
  }

  private knowledge(): Promise<KnowledgeSummaryDto> {
    if (!this.optional(IKnowledgeGraph))
      return Promise.resolve({ available: false, reason: NOT_INSTALLED('The knowledge graph') });
    return this.part('knowledge', async () => {
      const counts = await this.audit.metrics();
      return { flagged: counts.pending, approved: counts.approved, rejected: counts.rejected };
    });
  }

  private auditCounts(): Promise<AuditSummaryDto> {
    return this.part('audit', () => this.audit.metrics());
  }

  private connections(): Promise<ConnectionsSummaryDto> {
    const manager = this.optional<IConnectionManager>(IConnectionManager);
    if (!manager) return Promise.resolve({ available: false, reason: NOT_INSTALLED('The chat connection manager') });
    return this.part('connections', async () => ({ active: manager.size }));
  }

  private optional<T>(token: symbol): T | undefined {
    try {
      return this.moduleRef.get<T>(token, { strict: false });
    } catch {
      return undefined;
    }
  }

  /** Runs one part's loader under the configured deadline; a failure becomes `available: false`. */
  private async part<T extends object>(name: string, load: () => Promise<T>): Promise<T & DashboardPartDto> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.settings.dashboardSourceTimeoutMs} ms`)),
        this.settings.dashboardSourceTimeoutMs,
      );
    });
    try {
      return { available: true, ...(await Promise.race([load(), deadline])) };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ part: name, err: error }, `Dashboard part ${name} is unavailable`);
      return { available: false, reason } as T & DashboardPartDto;
    } finally {
      clearTimeout(timer);
    }
  }
}
