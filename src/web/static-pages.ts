import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger, type OnModuleInit } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import type { PlanSource } from '../config/sections/tws.section';

/** The files the pages are made of: only these are ever served, so no path reaches the disk. */
const FILES = {
  'revisao.html': 'text/html; charset=utf-8',
  'dashboard.html': 'text/html; charset=utf-8',
  'pages.css': 'text/css; charset=utf-8',
  'pages-common.js': 'text/javascript; charset=utf-8',
  'revisao.js': 'text/javascript; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
} as const;

export type PageFile = keyof typeof FILES;

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/**
 * Nothing but our own files: no inline script or style, no other origin, no framing, no forms
 * posting elsewhere. Stricter than the API's policy, which has to let Swagger UI run.
 */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export class PageNotFoundError extends DomainError {
  constructor(name: string) {
    super('PAGE_NOT_FOUND', `Page file not found: ${name}`, 'not_found');
  }
}

/** `public/` beside this file: nest-cli copies it into the build (`assets` in nest-cli.json). */
export const PAGES_DIRECTORY = join(__dirname, 'public');

export const isPageFile = (name: string): name is PageFile => Object.hasOwn(FILES, name);

/** Where a page shows which plan it is about; replaced when the pages are read. */
export const PLAN_SOURCE_MARKER = '<!-- plan-source-banner -->';

/** Fixed text (nothing from a request), in the language of the pages. */
const SIMULATED_PLAN_BANNER =
  '<p class="banner banner-simulated" role="alert" data-plan-source="simulator">' +
  'Plano SIMULADO: os dados do TWS vêm do simulador HWA embutido no Resync, não de um master HWA real ' +
  '(TWS_HOST não definido). Não tome decisões de operação com base neles.</p>';

/**
 * The review and dashboard pages, read once at boot. With the simulator as the plan's source, every
 * page carries a banner saying so, in the HTML itself: no script or credential needed to see it.
 */
export class StaticPages implements OnModuleInit {
  private readonly logger = new Logger(StaticPages.name);
  private readonly files = new Map<string, StaticFile>();

  constructor(
    private readonly directory: string,
    private readonly planSource: PlanSource = 'hwa',
  ) {}

  async onModuleInit(): Promise<void> {
    const banner = this.planSource === 'simulator' ? SIMULATED_PLAN_BANNER : '';
    for (const [name, contentType] of Object.entries(FILES)) {
      try {
        let body = await readFile(join(this.directory, name));
        if (name.endsWith('.html')) body = Buffer.from(body.toString('utf8').replace(PLAN_SOURCE_MARKER, banner));
        this.files.set(name, { body, contentType });
      } catch {
        this.logger.warn(`Page file ${name} is missing from ${this.directory}: it will answer 404`);
      }
    }
  }

  get(name: string): StaticFile {
    const file = isPageFile(name) ? this.files.get(name) : undefined;
    if (!file) throw new PageNotFoundError(name);
    return file;
  }
}
