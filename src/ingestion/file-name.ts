import { extname } from 'node:path';

/** Long enough for real document titles, short enough for any file system and log line. */
export const MAX_FILE_NAME_LENGTH = 200;

// Control characters (C0, DEL, C1) and the characters Windows, shells or URLs treat specially.
const UNSAFE = /[\p{Cc}<>:"/\\|?*%]/gu;

/**
 * The name an upload is stored and served under: the last path segment of what the client sent,
 * without control or special characters, never hidden or `..`, at most MAX_FILE_NAME_LENGTH
 * characters with the extension kept. Returns undefined when nothing usable is left.
 */
export function sanitizeFileName(original: string): string | undefined {
  const lastSegment = original.normalize('NFC').split(/[/\\]/).pop() ?? '';
  const cleaned = lastSegment
    .replace(UNSAFE, '_')
    .replace(/\s+/g, ' ')
    .replace(/_{2,}/g, '_')
    .trim()
    .replace(/^[.\s_]+/, '')
    .replace(/[.\s]+$/, '');
  if (cleaned === '' || /^_*$/.test(cleaned)) return undefined;
  if ([...cleaned].length <= MAX_FILE_NAME_LENGTH) return cleaned;
  const extension = extname(cleaned).slice(0, 16);
  const stem = [...cleaned.slice(0, cleaned.length - extension.length)]
    .slice(0, MAX_FILE_NAME_LENGTH - extension.length)
    .join('');
  return `${stem}${extension}`;
}

/** A name as a client asks for it: accepted only if it is exactly what `sanitizeFileName` would keep. */
export function isStoredFileName(name: string): boolean {
  return name.length > 0 && sanitizeFileName(name) === name;
}

export function extensionOf(name: string): string {
  return extname(name).slice(1).toLowerCase();
}
