/** Metric names and bucket boundaries, in one place so dashboards and code agree. */
export const HTTP_REQUESTS_TOTAL = 'http_requests_total';
export const HTTP_REQUEST_DURATION_SECONDS = 'http_request_duration_seconds';
export const HTTP_DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const CACHE_HITS_TOTAL = 'cache_hits_total';
export const CACHE_MISSES_TOTAL = 'cache_misses_total';
export const CACHE_LOADS_TOTAL = 'cache_loads_total';
export const CACHE_L2_ERRORS_TOTAL = 'cache_l2_errors_total';

export const TWS_UPSTREAM_REQUESTS_TOTAL = 'tws_upstream_requests_total';
export const TWS_UPSTREAM_DURATION_SECONDS = 'tws_upstream_request_duration_seconds';
export const TWS_UPSTREAM_DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** 0 closed, 1 half-open, 2 open. */
export const TWS_CIRCUIT_STATE = 'tws_circuit_state';
export const TWS_STALE_SERVED_TOTAL = 'tws_status_stale_served_total';
export const TWS_ACTIONS_TOTAL = 'tws_actions_total';

/** Route label for requests that matched no route: never the raw URL (unbounded cardinality). */
export const UNMATCHED_ROUTE = 'unmatched';

/** Names from the Knowledge Agent contract (seed 2). */
export const LLM_TOKENS_USED_TOTAL = 'knowledge_agent_tokens_used_total';
export const QUERIES_TOTAL = 'knowledge_agent_queries_total';
export const QUERY_ERRORS_TOTAL = 'knowledge_agent_query_errors_total';
export const QUERY_LATENCY_SECONDS = 'knowledge_agent_query_latency_seconds';
/** Queries may wait on a local model: buckets reach two minutes. */
export const QUERY_LATENCY_BUCKETS_SECONDS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 90, 120,
];
export const WS_CONNECTIONS = 'ws_connections';
export const WS_MESSAGES_TOTAL = 'ws_messages_total';

export const AUDIT_FLAGS_TOTAL = 'audit_flags_total';
export const AUDIT_REVIEWS_TOTAL = 'audit_reviews_total';
export const AUDIT_SUBMIT_ERRORS_TOTAL = 'audit_submit_errors_total';

export const AUTH_FAILURES_TOTAL = 'auth_failures_total';
export const RATE_LIMITED_TOTAL = 'rate_limited_requests_total';

/** The Knowledge Agent's names (seed 2): memories actually stored, searches run, failed memory operations. */
export const KNOWLEDGE_MEMORY_SAVES_TOTAL = 'knowledge_agent_memory_saves_total';
export const KNOWLEDGE_MEMORY_SEARCHES_TOTAL = 'knowledge_agent_memory_searches_total';
export const KNOWLEDGE_MEMORY_ERRORS_TOTAL = 'knowledge_agent_memory_errors_total';

export const INGEST_UPLOADS_TOTAL = 'ingest_uploads_total';
export const INGEST_UPLOAD_BYTES_TOTAL = 'ingest_upload_bytes_total';
export const INGEST_JOBS_TOTAL = 'ingest_jobs_total';
export const INGEST_CHUNKS_TOTAL = 'ingest_chunks_total';

/** Model Context Protocol: HTTP requests to /mcp, and tool calls by tool and outcome. */
export const MCP_REQUESTS_TOTAL = 'resync_mcp_requests_total';
export const MCP_TOOL_CALLS_TOTAL = 'resync_mcp_tool_calls_total';

/** The incident watch (issue names). */
export const INCIDENTS_OPENED_TOTAL = 'resync_incidents_opened_total';
export const INCIDENTS_OPEN = 'resync_incidents_open';
export const INCIDENT_ACK_SECONDS = 'resync_incident_ack_seconds';
/** From a minute to a day: people acknowledge in minutes, or at the next shift. */
export const INCIDENT_ACK_BUCKETS_SECONDS = [30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 43200, 86400];
export const WEBHOOK_DELIVERIES_TOTAL = 'resync_webhook_deliveries_total';
export const WATCH_PASS_SECONDS = 'resync_watch_pass_duration_seconds';
export const WATCH_PASS_BUCKETS_SECONDS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
export const WATCH_PASSES_TOTAL = 'resync_watch_passes_total';
