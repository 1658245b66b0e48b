import type { Logger } from 'pino';
import type { Clock } from '../../util/clock.js';

/**
 * Which optional Graph fields a node type accepts, learned from Graph's answers. Graph rejects a
 * whole request (error 100, "Tried accessing nonexisting field") when one field is unknown on a
 * node type, and phone, WABA and limit fields travel in one `fields=`: without this, one field
 * Meta renamed or has not rolled out takes a whole portfolio's listing down. A rejected field is
 * left out of later requests for that node type and API version, and asked again after
 * `recheckMs` (Meta rolls fields out gradually and versions change). See field-retry.ts.
 */
export type GraphNode = 'waba' | 'phone_number' | 'template' | 'business';

export interface FieldRejection {
  readonly source: string;
  readonly node: GraphNode;
  readonly field: string;
}

interface Mark {
  readonly at: number;
  readonly source: string;
}

export class FieldSupport {
  /** "version\0node\0field" → when it was rejected and by which source's request. */
  private readonly marks = new Map<string, Mark>();
  /** Every (source, node, field) a source may drop: its gauge series exist from the start, at 0. */
  private readonly declared = new Map<string, FieldRejection>();

  constructor(
    private readonly clock: Clock,
    private readonly recheckMs: number,
    private readonly logger?: Logger,
  ) {}

  /** A source's optional fields (called once per source at start, for the gauge's 0 series). */
  declare(source: string, node: GraphNode, fields: readonly string[]): void {
    for (const field of fields) this.declared.set(`${source}\u0000${node}\u0000${field}`, { source, node, field });
  }

  /** `wanted` minus the fields rejected for this node and version (a due re-check asks again). */
  usable(version: string, node: GraphNode, wanted: readonly string[]): string[] {
    const now = this.clock.now();
    return wanted.filter((f) => {
      const m = this.marks.get(key(version, node, f));
      return m === undefined || now - m.at >= this.recheckMs;
    });
  }

  reject(version: string, r: FieldRejection, how: 'named' | 'probed'): void {
    const k = key(version, r.node, r.field);
    const again = this.marks.has(k);
    this.marks.set(k, { at: this.clock.now(), source: r.source });
    this.logger?.warn(
      { source: r.source, node: r.node, field: r.field, api_version: version, how, recheck_ms: this.recheckMs },
      again
        ? 'Graph still rejects this field: left out until the next re-check'
        : 'Graph rejects this field on this node type: left out of requests, the rest is still exported',
    );
  }

  /** A request that asked these fields succeeded: they are supported (again). */
  accepted(version: string, node: GraphNode, asked: readonly string[]): void {
    for (const f of asked) {
      const k = key(version, node, f);
      if (!this.marks.has(k)) continue;
      this.marks.delete(k);
      this.logger?.info({ node, field: f, api_version: version }, 'Graph accepts this field again');
    }
  }

  /** Whether a field is currently left out (for the gauge): any version, since the config names one. */
  isRejected(version: string, node: GraphNode, field: string): boolean {
    return this.marks.has(key(version, node, field));
  }

  /** Gauge rows: every declared field with 1 when rejected for `version`, else 0. */
  rows(version: string): Array<FieldRejection & { rejected: boolean }> {
    return [...this.declared.values()].map((d) => ({ ...d, rejected: this.isRejected(version, d.node, d.field) }));
  }
}

const key = (version: string, node: GraphNode, field: string) => `${version}\u0000${node}\u0000${field}`;
