import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger, type OnModuleInit } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';

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

/** The review and dashboard pages, read once at boot. */
export class StaticPages implements OnModuleInit {
  private readonly logger = new Logger(StaticPages.name);
  private readonly files = new Map<string, StaticFile>();

  constructor(private readonly directory: string) {}

  async onModuleInit(): Promise<void> {
    for (const [name, contentType] of Object.entries(FILES)) {
      try {
        this.files.set(name, { body: await readFile(join(this.directory, name)), contentType });
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
