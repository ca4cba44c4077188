// A machine's local clock: true time mapped through an offset and a rate (leases only see this).

export class LocalClock {
  private anchorTrue = 0;
  private anchorLocal = 0;
  rate = 1;

  local(trueUs: number): number {
    if (this.rate === 1) return this.anchorLocal + (trueUs - this.anchorTrue);
    return this.anchorLocal + Math.floor((trueUs - this.anchorTrue) * this.rate);
  }

  /** True-time delay for a local-time delay (a timer armed for `localUs` on this machine). */
  trueDelay(localUs: number): number {
    if (this.rate === 1) return localUs;
    return Math.ceil(localUs / this.rate);
  }

  /** Jump the clock by `offsetUs` and set a new rate from true time `nowUs` on. */
  adjust(nowUs: number, offsetUs: number, rate: number): void {
    this.anchorLocal = this.local(nowUs) + offsetUs;
    this.anchorTrue = nowUs;
    this.rate = rate;
  }
}
