// The idle lock (SPEC 7.2): after the configured minutes without input, the
// window asks the core to lock the session and shows the lock screen. Input
// pings the core now and then (touch_session), so the core — which refuses
// every command of a session idle for longer — agrees with the window.

export interface IdleLockOptions {
  minutes: number;
  onIdle(): void;
  /** Tells the core the user is active (throttled). */
  touch(): void;
  /** For tests: the clock and the intervals. */
  now?: () => number;
  touchEveryMs?: number;
  checkEveryMs?: number;
}

const EVENTS = ["mousedown", "mousemove", "keydown", "wheel", "touchstart"] as const;

export class IdleLock {
  private minutes: number;
  private lastActivity: number;
  private lastTouch: number;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly now: () => number;
  private readonly onActivity = (): void => this.activity();

  constructor(private readonly opts: IdleLockOptions) {
    this.minutes = opts.minutes;
    this.now = opts.now ?? (() => Date.now());
    this.lastActivity = this.now();
    this.lastTouch = this.lastActivity;
  }

  start(): void {
    if (this.timer !== null) return;
    this.lastActivity = this.now();
    this.lastTouch = this.lastActivity;
    for (const e of EVENTS) document.addEventListener(e, this.onActivity, { capture: true, passive: true });
    this.timer = setInterval(() => this.check(), this.opts.checkEveryMs ?? 5_000);
  }

  stop(): void {
    for (const e of EVENTS) document.removeEventListener(e, this.onActivity, { capture: true });
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  setMinutes(minutes: number): void {
    this.minutes = minutes;
  }

  activity(): void {
    const now = this.now();
    this.lastActivity = now;
    if (now - this.lastTouch >= (this.opts.touchEveryMs ?? 20_000)) {
      this.lastTouch = now;
      this.opts.touch();
    }
  }

  check(): void {
    if (this.timer === null) return;
    if (this.now() - this.lastActivity >= this.minutes * 60_000) {
      this.stop();
      this.opts.onIdle();
    }
  }
}
