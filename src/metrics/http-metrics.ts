import { Injectable } from '@nestjs/common';
import { InjectMetric, makeCounterProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import type { NextFunction, Request, Response } from 'express';
import type { Counter, Histogram } from 'prom-client';
import {
  HTTP_DURATION_BUCKETS_SECONDS,
  HTTP_REQUEST_DURATION_SECONDS,
  HTTP_REQUESTS_TOTAL,
  UNMATCHED_ROUTE,
} from './metric-names';

const LABELS = ['method', 'route', 'status'];

export const httpMetricProviders = [
  makeCounterProvider({
    name: HTTP_REQUESTS_TOTAL,
    help: 'HTTP requests by method, route template and status',
    labelNames: LABELS,
  }),
  makeHistogramProvider({
    name: HTTP_REQUEST_DURATION_SECONDS,
    help: 'HTTP request duration in seconds by method, route template and status',
    labelNames: LABELS,
    buckets: HTTP_DURATION_BUCKETS_SECONDS,
  }),
];

/** Counts every HTTP response once it is sent, labelled by the route template that served it. */
@Injectable()
export class HttpMetrics {
  constructor(
    @InjectMetric(HTTP_REQUESTS_TOTAL) private readonly requests: Counter<string>,
    @InjectMetric(HTTP_REQUEST_DURATION_SECONDS) private readonly duration: Histogram<string>,
  ) {}

  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    const stop = this.duration.startTimer();
    response.once('finish', () => {
      const routePath = (request.route as { path?: string } | undefined)?.path;
      const route = routePath ? `${request.baseUrl}${String(routePath)}` : UNMATCHED_ROUTE;
      const labels = { method: request.method, route, status: String(response.statusCode) };
      this.requests.inc(labels);
      stop(labels);
    });
    next();
  };
}
