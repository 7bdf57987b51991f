/**
 * The horn's sound through the Web Audio API: the priority's tone pattern, repeated while
 * there is something to sound for. Browsers keep an AudioContext suspended until the page
 * has had a click or a key press; the player reports that (`blocked`) so the console can
 * ask for a click, and starts as soon as one arrives.
 */
import type { AlarmPriorityDto } from '../../preload/contract.js';
import { beepsOf, tones } from './horn.js';

export type AudioPhase = 'idle' | 'running' | 'blocked' | 'unsupported';

export class HornPlayer {
  private ctx: AudioContext | null = null;
  private priority: AlarmPriorityDto | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private phase: AudioPhase = 'idle';
  private readonly listeners = new Set<() => void>();
  private readonly unlock = () => void this.resume();

  constructor() {
    window.addEventListener('pointerdown', this.unlock, true);
    window.addEventListener('keydown', this.unlock, true);
  }

  get audio(): AudioPhase {
    return this.phase;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sound this priority's pattern (null: stop). */
  play(priority: AlarmPriorityDto | null): void {
    const p = priority === 'diagnostic' ? null : priority;
    if (p === this.priority) return;
    this.priority = p;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (p === null) {
      // Nothing to sound: no need to ask for a click.
      if (this.phase === 'blocked') this.setPhase('idle');
      return;
    }
    void this.resume().then(() => this.cycle());
  }

  /** Try to start audio (a click or key press lets the browser allow it). */
  async resume(): Promise<void> {
    if (typeof AudioContext === 'undefined') return this.setPhase('unsupported');
    try {
      this.ctx ??= new AudioContext();
      if (this.ctx.state !== 'running') {
        // resume() stays pending until a user gesture where autoplay is blocked: do not wait on it.
        await Promise.race([this.ctx.resume(), new Promise((r) => setTimeout(r, 200))]);
      }
      const running = this.ctx.state === 'running';
      this.setPhase(running ? 'running' : this.priority ? 'blocked' : 'idle');
      if (running && this.priority && !this.timer) this.cycle();
    } catch {
      this.setPhase('unsupported');
    }
  }

  private cycle(): void {
    this.timer = null;
    const p = this.priority;
    if (!p || p === 'diagnostic') return;
    const pattern = tones[p];
    const ctx = this.ctx;
    if (ctx && ctx.state === 'running') {
      const t0 = ctx.currentTime + 0.02;
      for (const beep of beepsOf(pattern)) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = pattern.wave;
        osc.frequency.value = beep.frequency;
        const start = t0 + beep.at / 1000;
        const end = start + beep.ms / 1000;
        gain.gain.setValueAtTime(0, start);
        gain.gain.linearRampToValueAtTime(0.18, start + 0.01);
        gain.gain.setValueAtTime(0.18, end - 0.02);
        gain.gain.linearRampToValueAtTime(0, end);
        osc.connect(gain).connect(ctx.destination);
        osc.start(start);
        osc.stop(end + 0.01);
      }
    } else {
      this.setPhase('blocked');
    }
    this.timer = setTimeout(() => this.cycle(), pattern.periodMs);
  }

  private setPhase(phase: AudioPhase): void {
    if (phase === this.phase) return;
    this.phase = phase;
    for (const l of [...this.listeners]) l();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    window.removeEventListener('pointerdown', this.unlock, true);
    window.removeEventListener('keydown', this.unlock, true);
    void this.ctx?.close();
    this.ctx = null;
  }
}
