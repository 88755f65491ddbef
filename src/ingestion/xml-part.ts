import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { IngestionError } from './ingestion.errors';
import type { ParseBudget } from './parse-limits';
import { inflateEntry, type ZipEntry } from './zip-reader';

/** Callbacks for one XML part; element names come without their namespace prefix. */
export interface XmlHandlers {
  open?(name: string, attributes: Record<string, string>): void;
  close?(name: string): void;
  text?(text: string): void;
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** An OOXML package's parts, read by name (the names are case-insensitive in OPC). */
export class OoxmlPackage {
  private readonly byName: Map<string, ZipEntry>;

  constructor(
    private readonly content: Buffer,
    entries: readonly ZipEntry[],
    private readonly budget: ParseBudget,
  ) {
    this.byName = new Map(entries.map((entry) => [entry.name.toLowerCase(), entry]));
  }

  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }

  /**
   * Streams the part through a SAX parser as it is inflated. A part that declares a DTD is
   * refused: OPC forbids DTDs in package parts, and they are how entity expansion ("billion
   * laughs") is smuggled in.
   */
  async parse(name: string, handlers: XmlHandlers): Promise<void> {
    const entry = this.byName.get(name.toLowerCase());
    if (!entry) throw new IngestionError('DOCUMENT_UNREADABLE', `The document has no ${name} part`);
    const parser = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
    parser.on('error', (error) => {
      throw new IngestionError('DOCUMENT_UNREADABLE', `The document’s ${name} part is not valid XML: ${error.message}`);
    });
    parser.on('doctype', () => {
      throw new IngestionError(
        'DOCUMENT_REFUSED',
        `The document’s ${name} part declares a DTD (<!DOCTYPE>), which Office files never contain; refused to prevent XML entity expansion`,
      );
    });
    if (handlers.open) {
      const open = handlers.open;
      parser.on('opentag', (tag: SaxesTagPlain) => open(localName(tag.name), tag.attributes));
    }
    if (handlers.close) {
      const close = handlers.close;
      parser.on('closetag', (tag: SaxesTagPlain) => close(localName(tag.name)));
    }
    if (handlers.text) {
      parser.on('text', handlers.text);
      parser.on('cdata', handlers.text);
    }
    let decoder: StringDecoder | undefined;
    for await (const chunk of inflateEntry(this.content, entry, (bytes) => this.budget.inflated(bytes))) {
      decoder ??= new StringDecoder(chunk[0] === 0xff && chunk[1] === 0xfe ? 'utf16le' : 'utf8');
      parser.write(decoder.write(chunk));
    }
    if (decoder) parser.write(decoder.end());
    parser.close();
  }

  /** The relationships of `part` (`word/document.xml` → `word/_rels/document.xml.rels`): id → target part name. */
  async relationships(part: string): Promise<Map<string, { type: string; target: string }>> {
    const slash = part.lastIndexOf('/');
    const folder = part.slice(0, slash + 1);
    const relsName = `${folder}_rels/${part.slice(slash + 1)}.rels`;
    const relations = new Map<string, { type: string; target: string }>();
    if (!this.has(relsName)) return relations;
    await this.parse(relsName, {
      open: (name, attributes) => {
        if (name !== 'Relationship' || attributes.TargetMode === 'External') return;
        const target = attributes.Target ?? '';
        relations.set(attributes.Id ?? '', {
          type: attributes.Type ?? '',
          target: target.startsWith('/') ? target.slice(1) : resolvePath(folder, target),
        });
      },
    });
    return relations;
  }

  /** The package's main part (the document or the workbook), from the package relationships. */
  async mainPart(fallback: string): Promise<string> {
    for (const relation of (await this.relationships('')).values()) {
      if (relation.type.endsWith('/officeDocument')) return relation.target;
    }
    return fallback;
  }
}

function resolvePath(folder: string, target: string): string {
  const parts = folder.split('/').filter(Boolean);
  for (const segment of target.split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.' && segment !== '') parts.push(segment);
  }
  return parts.join('/');
}
