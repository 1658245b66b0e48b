/**
 * Upstream cost as the sandbox saw it, so contract tests and the bench can assert "one refresh
 * = N calls" (cost is behaviour). Control-API calls are never counted.
 */
export class SandboxStats {
  /** HTTP requests to the Graph part; a batch counts once. */
  httpRequests = 0;
  /** Batch elements. */
  subRequests = 0;
  /** Per request kind ('batch', 'owned_wabas', 'waba', 'phone', …), top-level and batch elements alike. */
  byKind: Record<string, number> = {};

  count(kind: string, inBatch: boolean): void {
    if (inBatch) this.subRequests++;
    else this.httpRequests++;
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
  }

  reset(): void {
    this.httpRequests = 0;
    this.subRequests = 0;
    this.byKind = {};
  }

  toJSON(): { httpRequests: number; subRequests: number; byKind: Record<string, number> } {
    return { httpRequests: this.httpRequests, subRequests: this.subRequests, byKind: { ...this.byKind } };
  }
}
