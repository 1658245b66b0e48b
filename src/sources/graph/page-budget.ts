/**
 * The follow-up pages one refresh may still read (the poller sizes it from Meta's budget:
 * poller/budget.ts, pagesPerRefresh). Shared by every listing of the refresh, so a refresh that
 * pages two edges and the numbers of fifty WABAs spends one allowance, not one per edge.
 */
export class PageBudget {
  private used = 0;
  constructor(readonly limit: number) {}

  /** Charges one page; false once the refresh has none left. */
  take(): boolean {
    if (this.used >= this.limit) return false;
    this.used++;
    return true;
  }
}
