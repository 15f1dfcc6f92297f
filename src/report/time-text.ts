import { isoTime } from './output-schema.js';

/** To the second: people compare these at a glance (the JSON keeps the milliseconds). */
export const secondsTime = (ms: number | null): string => isoTime(ms)?.replace(/\.\d{3}Z$/, 'Z') ?? '-';

/** `45s`, `12m`, `3h 5m`, `2d 4h`: how long something has been open, at a glance. */
export function age(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}
