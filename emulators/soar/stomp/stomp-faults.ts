/**
 * Faults of the STOMP side, which the REST fault rules (status codes per operation) do not fit:
 * connections dropped after some frames or right after a delivery, frames delayed, keep-alives late,
 * new connections refused for a while. Dropping every connection at once is a method of the broker.
 */

export interface StompFaultSettings {
  /** The connection a frame arrives on is dropped after the broker has processed this many more frames (any connection). */
  dropAfterFrames?: number;
  /** The connection that receives the next MESSAGE is dropped right after it is written. */
  dropAfterNextDelivery?: boolean;
  /** Every frame the broker sends (heartbeats included) is held back this long, in order. */
  delayMs?: number;
  /**
   * Connections made from now on send a keep-alive at this fixed interval (whatever else they write)
   * instead of the one they promised in CONNECTED's heart-beat: late ones, when it is larger.
   */
  keepAliveEveryMs?: number;
  /** New connections are closed before the TLS handshake, for this long from now... */
  refuseForMs?: number;
  /** ...or for this many attempts. */
  refuseConnections?: number;
}

export interface StompFaultsView {
  dropAfterFrames: number | null;
  dropAfterNextDelivery: boolean;
  delayMs: number;
  keepAliveEveryMs: number | null;
  refuseUntil: number | null;
  refuseConnections: number;
  /** Connections the faults dropped or refused so far. */
  dropped: number;
  refused: number;
}

export class StompFaults {
  private framesLeft: number | undefined;
  private dropNextDelivery = false;
  private delay = 0;
  private keepAliveEvery: number | undefined;
  private refuseUntil: number | undefined;
  private refuseCount = 0;
  private droppedCount = 0;
  private refusedCount = 0;

  constructor(private readonly now: () => number) {}

  /** Adds to (or replaces, per field) the settings in force. */
  set(settings: StompFaultSettings): StompFaultsView {
    if (settings.dropAfterFrames !== undefined) this.framesLeft = settings.dropAfterFrames;
    if (settings.dropAfterNextDelivery !== undefined) this.dropNextDelivery = settings.dropAfterNextDelivery;
    if (settings.delayMs !== undefined) this.delay = settings.delayMs;
    if (settings.keepAliveEveryMs !== undefined) this.keepAliveEvery = settings.keepAliveEveryMs;
    if (settings.refuseForMs !== undefined) this.refuseUntil = this.now() + settings.refuseForMs;
    if (settings.refuseConnections !== undefined) this.refuseCount = settings.refuseConnections;
    return this.view();
  }

  clear(): void {
    this.framesLeft = undefined;
    this.dropNextDelivery = false;
    this.delay = 0;
    this.keepAliveEvery = undefined;
    this.refuseUntil = undefined;
    this.refuseCount = 0;
  }

  get delayMs(): number {
    return this.delay;
  }

  get keepAliveEveryMs(): number | undefined {
    return this.keepAliveEvery;
  }

  /** Called once per frame processed; true when its connection is to be dropped now. */
  afterFrame(): boolean {
    if (this.framesLeft === undefined) return false;
    this.framesLeft--;
    if (this.framesLeft > 0) return false;
    this.framesLeft = undefined;
    this.droppedCount++;
    return true;
  }

  /** Called once per MESSAGE written; true when its connection is to be dropped right after. */
  afterDelivery(): boolean {
    if (!this.dropNextDelivery) return false;
    this.dropNextDelivery = false;
    this.droppedCount++;
    return true;
  }

  /** Called per new TCP connection; true when it is to be refused. */
  refuse(): boolean {
    const refuse = this.refuseCount > 0 || (this.refuseUntil !== undefined && this.now() < this.refuseUntil);
    if (this.refuseCount > 0) this.refuseCount--;
    if (refuse) this.refusedCount++;
    return refuse;
  }

  view(): StompFaultsView {
    const until = this.refuseUntil !== undefined && this.now() < this.refuseUntil ? this.refuseUntil : null;
    return {
      dropAfterFrames: this.framesLeft ?? null,
      dropAfterNextDelivery: this.dropNextDelivery,
      delayMs: this.delay,
      keepAliveEveryMs: this.keepAliveEvery ?? null,
      refuseUntil: until,
      refuseConnections: this.refuseCount,
      dropped: this.droppedCount,
      refused: this.refusedCount,
    };
  }
}
