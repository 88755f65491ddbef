import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ToInt } from '../env-transforms';

export class WebEnv {
  /** The dashboard summary is shared by every viewer for this long, so viewers never multiply upstream calls. */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(3_600)
  DASHBOARD_CACHE_SECONDS = 5;

  /** A dashboard part (TWS, knowledge, audit, connections) that takes longer is shown as unavailable. */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(50)
  @Max(60_000)
  DASHBOARD_SOURCE_TIMEOUT_MS = 3_000;
}

export interface WebSettings {
  dashboardCacheSeconds: number;
  dashboardSourceTimeoutMs: number;
}

export function buildWebSettings(env: WebEnv): WebSettings {
  return {
    dashboardCacheSeconds: env.DASHBOARD_CACHE_SECONDS,
    dashboardSourceTimeoutMs: env.DASHBOARD_SOURCE_TIMEOUT_MS,
  };
}
